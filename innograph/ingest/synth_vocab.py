"""Term lists for the synthetic DeepInnovationAI generator (`synth.py`). Data only.

Real AI terms, roughly ordered from most to least common, plus the pieces the generator
composes titles, abstracts, names, venues and affiliations from. No string here may contain a
double quote or a line break (the generator checks).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# keywords

# Real AI terms, most common first. Shared head of the keyword vocabulary.
CORE_TERMS = (
    "neural network", "deep learning", "machine learning", "image processing", "artificial intelligence",
    "convolutional neural network", "feature extraction", "training data", "reinforcement learning",
    "natural language processing", "speech recognition", "object detection", "image recognition",
    "computer vision", "data processing", "classification", "optimization", "prediction model",
    "target object", "image segmentation", "semantic segmentation", "recurrent neural network",
    "long short-term memory", "attention mechanism", "transformer", "generative adversarial network",
    "support vector machine", "random forest", "decision tree", "clustering", "k-means",
    "face recognition", "pattern recognition", "knowledge graph", "recommendation system",
    "autonomous driving", "robot control", "path planning", "anomaly detection", "fault diagnosis",
    "time series", "sentiment analysis", "machine translation", "question answering", "text classification",
    "named entity recognition", "word embedding", "language model", "speech synthesis", "voice interaction",
    "dialogue system", "intent recognition", "image classification", "image enhancement", "super-resolution",
    "image generation", "video analysis", "action recognition", "pose estimation", "depth estimation",
    "point cloud", "3d reconstruction", "visual tracking", "target tracking", "pedestrian detection",
    "vehicle detection", "license plate recognition", "optical character recognition", "medical image",
    "lesion detection", "disease prediction", "drug discovery", "protein structure", "gene expression",
    "electronic health record", "brain-computer interface", "eeg signal", "emotion recognition",
    "gesture recognition", "human-computer interaction", "smart home", "internet of things",
    "edge computing", "cloud computing", "federated learning", "transfer learning", "meta-learning",
    "few-shot learning", "zero-shot learning", "self-supervised learning", "semi-supervised learning",
    "unsupervised learning", "supervised learning", "active learning", "online learning",
    "incremental learning", "continual learning", "multi-task learning", "representation learning",
    "metric learning", "contrastive learning", "graph neural network", "graph convolutional network",
    "knowledge distillation", "model compression", "network pruning", "quantization", "neural architecture search",
    "hyperparameter optimization", "bayesian optimization", "gradient descent", "stochastic gradient descent",
    "backpropagation", "loss function", "activation function", "batch normalization", "dropout",
    "regularization", "overfitting", "generalization", "convergence", "robustness", "adversarial example",
    "adversarial attack", "adversarial training", "explainability", "interpretability", "fairness",
    "privacy protection", "differential privacy", "data augmentation", "data fusion", "sensor fusion",
    "multi-modal fusion", "feature fusion", "feature map", "feature vector", "feature selection",
    "dimensionality reduction", "principal component analysis", "autoencoder", "variational autoencoder",
    "diffusion model", "energy-based model", "probabilistic model", "bayesian network", "markov decision process",
    "hidden markov model", "gaussian process", "kernel method", "ensemble learning", "boosting",
    "gradient boosting", "logistic regression", "linear regression", "regression analysis", "fuzzy logic",
    "fuzzy control", "expert system", "knowledge representation", "reasoning", "planning", "search algorithm",
    "genetic algorithm", "evolutionary algorithm", "particle swarm optimization", "ant colony optimization",
    "simulated annealing", "swarm intelligence", "multi-agent system", "game theory", "policy gradient",
    "q-learning", "deep q-network", "actor-critic", "reward function", "imitation learning",
    "inverse reinforcement learning", "model predictive control", "adaptive control", "intelligent control",
    "control strategy", "motion control", "robot arm", "robotic grasping", "mobile robot", "unmanned aerial vehicle",
    "autonomous vehicle", "obstacle avoidance", "simultaneous localization and mapping", "lidar", "radar signal",
    "trajectory prediction", "traffic flow prediction", "traffic signal control", "smart grid", "load forecasting",
    "power system", "battery management", "energy management", "fault detection", "predictive maintenance",
    "industrial process", "quality inspection", "defect detection", "surface defect", "remote sensing image",
    "hyperspectral image", "satellite image", "change detection", "land cover classification", "weather forecasting",
    "financial risk", "credit scoring", "fraud detection", "stock prediction", "customer behavior",
    "user profile", "click-through rate prediction", "collaborative filtering", "information retrieval",
    "search engine", "text mining", "topic model", "document classification", "text summarization",
    "text generation", "pre-trained model", "large language model", "prompt learning", "fine-tuning",
    "bert", "word vector", "semantic similarity", "semantic matching", "entity linking", "relation extraction",
    "event extraction", "knowledge base", "ontology", "semantic web", "speech enhancement", "speaker recognition",
    "voiceprint recognition", "acoustic model", "audio classification", "music generation", "signal processing",
    "wireless communication", "channel estimation", "beamforming", "resource allocation", "network traffic",
    "intrusion detection", "malware detection", "cyber security", "blockchain", "distributed computing",
    "parallel computing", "neural network accelerator", "hardware accelerator", "neuromorphic computing",
    "spiking neural network", "memristor", "in-memory computing", "fpga", "gpu", "edge device",
    "embedded system", "mobile terminal", "electronic device", "storage medium", "computer program",
    "processor", "server", "terminal device", "image sensor", "camera", "video stream", "image data",
    "sample data", "training sample", "training set", "test set", "label", "annotation", "ground truth",
    "loss value", "model parameter", "weight", "neuron", "hidden layer", "fully connected layer",
    "convolution kernel", "pooling layer", "encoder", "decoder", "encoder-decoder", "sequence model",
    "sequence labeling", "residual network", "u-net", "yolo", "region proposal", "bounding box",
    "anchor box", "non-maximum suppression", "instance segmentation", "panoptic segmentation",
    "image retrieval", "image captioning", "visual question answering", "cross-modal retrieval",
    "video surveillance", "abnormal behavior", "crowd counting", "facial expression", "face detection",
    "liveness detection", "identity verification", "biometric", "fingerprint recognition", "iris recognition",
    "handwriting recognition", "scene text", "document image", "medical diagnosis", "clinical decision support",
    "computer-aided diagnosis", "medical imaging", "ct image", "mri", "ultrasound image", "pathological image",
    "retinal image", "electrocardiogram", "wearable device", "health monitoring", "sleep monitoring",
    "precision agriculture", "crop yield", "plant disease", "smart manufacturing", "digital twin",
    "process optimization", "scheduling", "job scheduling", "logistics", "supply chain", "route optimization",
    "vehicle routing", "demand forecasting", "decision making", "decision support", "risk assessment",
    "uncertainty quantification", "causal inference", "causal discovery", "statistical learning",
    "sparse representation", "compressed sensing", "matrix factorization", "tensor decomposition",
    "manifold learning", "similarity measure", "distance metric", "hashing", "approximate nearest neighbor",
    "vector database", "embedding", "latent space", "attention map", "self-attention", "multi-head attention",
    "vision transformer", "capsule network", "extreme learning machine", "radial basis function",
    "perceptron", "multilayer perceptron", "hopfield network", "boltzmann machine", "deep belief network",
    "cellular neural network", "neuro-fuzzy system", "rough set", "case-based reasoning", "theorem proving",
    "logic programming", "constraint satisfaction", "heuristic search", "monte carlo tree search",
    "computational complexity", "sample complexity", "theoretical analysis", "convergence analysis",
    "error bound", "benchmark", "evaluation metric", "accuracy", "efficiency", "scalability", "latency",
)

# Application terms that patents use more than papers (Fig. 6 of the paper): boosted for patents.
PATENT_HEAD = (
    "method", "image processing", "neural network", "data processing", "target object",
    "electronic device", "storage medium", "training data", "feature extraction", "image recognition",
    "control method", "terminal device", "deep learning", "computer program", "image data",
    "processing device", "object detection", "model training", "speech recognition", "server",
    "vehicle", "robot", "sensor data", "recognition method", "detection method", "mobile terminal",
    "information processing", "control device", "video stream", "user terminal",
)

# Theory terms that papers use more than patents: boosted for papers.
PAPER_HEAD = (
    "deep learning", "optimization", "generalization", "machine learning", "neural network",
    "convergence", "representation learning", "reinforcement learning", "benchmark",
    "theoretical analysis", "classification", "robustness", "regularization", "transfer learning",
    "natural language processing", "computer vision", "gradient descent", "interpretability",
    "bayesian inference", "sample complexity", "language model", "graph neural network",
    "unsupervised learning", "self-supervised learning", "attention mechanism", "clustering",
    "probabilistic model", "convergence analysis", "evaluation metric", "error bound",
)

# Keywords too generic to name a document's subject: titles and abstracts use other keywords.
GENERIC_TERMS = (
    "method", "electronic device", "storage medium", "computer program", "terminal device", "server",
    "processing device", "mobile terminal", "control device", "user terminal", "processor", "label",
    "weight", "neuron", "accuracy", "efficiency", "latency", "gpu", "fpga", "camera", "vehicle", "robot",
    "benchmark", "annotation", "ground truth", "loss value", "training set", "test set", "planning",
    "reasoning", "embedding", "hashing", "scheduling", "logistics", "quantization", "transformer",
)

# Words that tilt a composed term towards one side (a multiplicative rank boost).
PATENT_WORDS = (
    "method", "device", "apparatus", "system", "terminal", "vehicle", "image", "control", "robot",
    "sensor", "camera", "medium", "equipment", "unit", "module", "detection", "recognition",
    "monitoring", "processing", "server", "circuit", "chip", "battery", "grid", "inspection",
)
PAPER_WORDS = (
    "learning", "optimization", "theory", "generalization", "convergence", "bayesian", "analysis",
    "representation", "inference", "complexity", "bound", "benchmark", "language", "reasoning",
    "regularization", "stochastic", "probabilistic", "variational", "causal", "kernel", "embedding",
)

MODIFIERS = (
    "deep", "adaptive", "robust", "distributed", "multi-scale", "hierarchical", "attention-based",
    "graph-based", "lightweight", "real-time", "unsupervised", "semi-supervised", "self-supervised",
    "federated", "bayesian", "probabilistic", "sparse", "dynamic", "online", "incremental", "efficient",
    "scalable", "end-to-end", "multi-modal", "cross-domain", "explainable", "interpretable",
    "privacy-preserving", "energy-efficient", "low-latency", "fuzzy", "evolutionary", "hybrid",
    "contrastive", "generative", "discriminative", "variational", "recurrent", "temporal", "spatial",
    "spatio-temporal", "context-aware", "knowledge-based", "rule-based", "data-driven", "model-based",
    "vision-based", "cloud-based", "mobile", "embedded", "quantized", "meta", "few-shot", "zero-shot",
    "large-scale", "fine-grained", "weakly supervised", "noise-robust", "multi-task", "multi-agent",
    "autonomous", "intelligent", "automatic", "improved", "optimized",
    "parallel", "secure", "decentralized", "personalized", "continuous", "discrete", "nonlinear",
)

SUFFIXES = (
    "method", "model", "system", "framework", "algorithm", "module", "network", "architecture",
    "technique", "approach", "device", "apparatus", "unit", "scheme", "platform", "strategy",
)

# ---------------------------------------------------------------------------------------------
# IPC codes, most frequent first (AI-relevant groups and the application groups AI patents carry).

IPC_CODES = (
    "G06N3/04", "G06N3/08", "G06K9/62", "G06N20/00", "G06T7/00", "G06K9/00", "G06F16/35",
    "G06N5/04", "G06Q10/04", "G06F17/16", "G06N3/063", "G06V10/82", "G06V40/16", "G06F40/30",
    "G10L15/16", "G06T7/11", "G05B13/02", "B25J9/16", "G06Q50/00", "G06F18/24", "H04L41/16",
    "G06N7/00", "G06Q10/06", "G06F16/55", "A61B5/00", "G16H50/20", "G06T3/40", "G06V20/56",
    "G08G1/16", "G06N3/02", "G06N5/02", "G06F9/50", "H04N19/00", "G06F21/55", "G01S17/93",
    "B60W30/00", "G06F17/18", "H04W24/02", "G06Q30/02", "G10L15/22", "G06F40/279", "G06N3/0464",
    "G06T5/00",
)

# ---------------------------------------------------------------------------------------------
# titles: (before A, between A and B, after B, uses B). An empty first piece capitalises A.

PATENT_TITLE_TEMPLATES = (
    ("Method for ", " based on ", "", True),
    ("", " method, apparatus, electronic device and storage medium", "", False),
    ("System and method for ", " using ", "", True),
    ("", " system based on ", "", True),
    ("Apparatus and method for ", "", "", False),
    ("Method and apparatus for ", " in ", "", True),
    ("", " device, ", " method and electronic equipment", True),
    ("Neural network-based ", " method and system", "", False),
    ("Training method of ", " model, ", " method and related device", True),
    ("", " method based on ", " and deep learning", True),
    ("Intelligent ", " device with ", "", True),
    ("", " and ", " method, device, equipment and medium", True),
    ("Method for determining ", " by means of ", "", True),
    ("Device for ", " comprising a ", " unit", True),
    ("Machine learning model for ", "", "", False),
    ("", " method based on improved ", "", True),
    ("Computer-implemented method for ", " and ", "", True),
    ("Self-learning ", " control system", "", False),
)

PAPER_TITLE_TEMPLATES = (
    ("", " for ", "", True),
    ("Towards robust ", " with ", "", True),
    ("", ": a ", " approach", True),
    ("On the ", " of ", "", True),
    ("Learning ", " with ", "", True),
    ("A novel ", " framework for ", "", True),
    ("Improving ", " via ", "", True),
    ("", " meets ", "", True),
    ("Rethinking ", " in ", "", True),
    ("Efficient ", " using ", "", True),
    ("", " based on ", " and its application", True),
    ("Understanding ", " through the lens of ", "", True),
    ("Scalable ", " for large-scale ", "", True),
    ("An empirical study of ", " for ", "", True),
    ("", " with provable guarantees", "", False),
)

REVIEW_TITLE_TEMPLATES = (
    ("A survey of ", "", "", False),
    ("", ": a review", "", False),
    ("A comprehensive review of ", " and ", "", True),
    ("Recent advances in ", "", "", False),
    ("", " for ", ": a systematic review", True),
)

# ---------------------------------------------------------------------------------------------
# abstract sentences: {A}, {B}, {C} are keyword slots.

PATENT_OPENINGS = (
    "The invention discloses a method for ", "The present disclosure relates to ",
    "Embodiments of the present application provide a ", "A system and method for ",
    "The invention relates to the technical field of ", "Disclosed is an apparatus for ",
    "The application provides a method and device for ", "A computer-implemented method for ",
)
PATENT_OPENING_LINKS = (" based on ", " using ", " and ", " by means of ", " combined with ")

PATENT_SENTENCES = (
    "The method comprises the following steps: acquiring {A}, extracting {B} from the acquired data, and inputting the extracted features into a trained {C} to obtain a prediction result.",
    "According to the embodiment, the {A} module processes the {B} in real time, so that the accuracy of {C} is effectively improved.",
    "The system further comprises a {A} unit configured to determine {B} according to the output of the {C}.",
    "By adopting {A}, the invention reduces the computational cost of {B} while maintaining high precision.",
    "A first {A} is constructed from historical {B}, and a second {A} is obtained by fine-tuning on {C}.",
    "The processor is configured to execute instructions stored in the memory to perform {A} on the {B}.",
    "The {A} is trained with a loss function that combines {B} and {C}, which improves stability of the training process.",
    "When the confidence of the {A} is lower than a preset threshold, the {B} is updated and the {C} is executed again.",
    "In this way, the problem that {A} cannot be applied to {B} in the prior art is solved.",
    "The electronic device comprises a memory, a processor, and a computer program for {A} that is stored in the memory.",
    "Sample images are labelled, and the {A} is iteratively optimised until the {B} converges.",
    "The output layer of the {A} generates a probability distribution over candidate {B}.",
    "The {A} and the {B} are fused to obtain a target feature, and the target feature is classified by the {C}.",
    "The technical solution improves the efficiency of {A}, reduces manual intervention, and has good practicability in {B}.",
    "The data acquisition unit collects {A} from a plurality of sensors and transmits it to the {B} server.",
    "A weight matrix of the {A} is adjusted according to the {B}, thereby realising adaptive {C}.",
    "The invention can be widely applied to {A}, {B} and {C}.",
    "Compared with the existing {A}, the method has higher recognition accuracy and stronger robustness to {B}.",
    "The storage medium stores a program that, when executed, implements the steps of the {A} method.",
    "Candidate regions are generated by the {A}, and each candidate region is scored by the {B}.",
    "The control unit adjusts the {A} according to the result of the {B}, so that the {C} operates safely.",
    "The training set is divided into several subsets, and the {A} is evaluated on each subset with the {B}.",
)

PAPER_OPENINGS = (
    "In this paper, we propose a novel ", "This paper presents a ", "We introduce a new ",
    "We study the problem of ", "In this work, we develop a ", "This article investigates ",
    "We present an efficient ", "Recent progress in ",
)
PAPER_OPENING_LINKS = (" framework for ", " approach to ", " method for ", " model for ", " and its relation to ")

PAPER_SENTENCES = (
    "We propose a novel {A} framework that leverages {B} to improve {C}.",
    "Extensive experiments on benchmark datasets demonstrate that our approach outperforms state-of-the-art {A} methods.",
    "Theoretical analysis shows that the proposed {A} converges to a stationary point under mild assumptions on {B}.",
    "Unlike previous work on {A}, our method does not require labelled {B}.",
    "We further analyse the generalization properties of {A} and derive an error bound that depends on {B}.",
    "Our results suggest that {A} and {B} are complementary, and combining them yields consistent gains in {C}.",
    "The proposed model is evaluated on several public datasets, where it achieves competitive results in {A}.",
    "We show that {A} can be formulated as an optimization problem over {B}, which admits an efficient solution.",
    "Ablation studies confirm the contribution of each component, in particular the {A} module.",
    "Existing approaches to {A} suffer from high computational cost and limited scalability to {B}.",
    "To address this issue, we introduce a {A} that explicitly models {B}.",
    "Empirical results indicate that {A} is robust to noise in {B} and to distribution shift.",
    "We release our code and a new dataset to facilitate future research on {A}.",
    "The approach combines {A} with {B}, allowing end-to-end training of the {C}.",
    "Our analysis reveals a trade-off between {A} and {B} that has been overlooked in prior work.",
    "We provide a unified view of {A}, {B} and {C}, and discuss open problems.",
    "Experimental results on real-world data show that the method improves {A} by a large margin.",
    "A case study on {A} illustrates the practical benefits of the proposed {B}.",
    "We characterise the sample complexity of {A} and show that it is minimax optimal up to logarithmic factors.",
    "This survey reviews recent advances in {A}, with an emphasis on {B}.",
    "Finally, we discuss the limitations of {A} and directions for future work on {B}.",
    "Compared with conventional {A}, the proposed {B} requires fewer parameters and less training time.",
)

PATENT_CLOSINGS = (
    "The method is particularly suitable for {A}.", "The invention improves the reliability of {A}.",
    "The scheme can also be used for {A}.", "Thus, the performance of {A} is significantly improved.",
)
PAPER_CLOSINGS = (
    "Our findings shed new light on {A}.", "The results open new directions for {A}.",
    "Code is available to support reproducible research on {A}.",
    "These results highlight the potential of {A} in practice.",
)

# ---------------------------------------------------------------------------------------------
# patents: publication-number formats by country.
# (country, prefix, year-embedded, middle, width, base, step, suffix, weight within country)
# A year-embedded number is prefix + publication year + middle + serial padded to width + suffix;
# a plain one is prefix + (base + serial * step + jitter) + suffix.

PN_FORMATS = (
    ("US", "US", False, "", 0, 9_200_000, 4, "B2", 0.42),
    ("US", "US", False, "", 0, 9_150_000, 2, "B1", 0.06),
    ("US", "US", True, "", 6, 0, 2, "A1", 0.52),
    ("CN", "CN", False, "", 0, 100_000_000, 3, "A", 0.80),
    ("CN", "CN", False, "", 0, 105_000_000, 3, "B", 0.15),
    ("CN", "CN", False, "", 0, 205_000_000, 3, "U", 0.05),
    ("JP", "JP", True, "", 6, 0, 3, "A", 0.85),
    ("JP", "JP", False, "", 0, 6_100_000, 3, "B2", 0.15),
    ("KR", "KR", True, "", 7, 0, 5, "A", 0.75),
    ("KR", "KR", False, "", 0, 101_500_000, 3, "B1", 0.25),
    ("WO", "WO", True, "", 6, 0, 3, "A1", 1.0),
    ("EP", "EP", False, "", 0, 3_000_000, 3, "A1", 0.70),
    ("EP", "EP", False, "", 0, 2_500_000, 3, "B1", 0.30),
    ("DE", "DE10", True, "", 6, 0, 5, "A1", 1.0),
    ("GB", "GB", False, "", 0, 2_500_000, 5, "A", 1.0),
    ("TW", "TW", True, "", 5, 0, 3, "A", 1.0),
    ("IN", "IN", True, "11", 6, 0, 7, "A", 0.35),
    ("IN", "IN", True, "41", 6, 0, 7, "A", 0.35),
    ("IN", "IN", True, "31", 6, 0, 7, "A", 0.15),
    ("IN", "IN", True, "21", 6, 0, 7, "A", 0.15),
    ("CA", "CA", False, "", 0, 3_000_000, 5, "A1", 1.0),
    ("FR", "FR", False, "", 0, 3_050_000, 5, "A1", 1.0),
    ("AU", "AU", True, "", 6, 0, 5, "A1", 1.0),
)

# Share of patents by office: (country, first year, share around 1985, share from 2015 on).
# Shares are interpolated between 1990 and 2015, offices are closed before their first year.
PATENT_COUNTRIES = (
    ("CN", 1985, 0.00, 0.50),
    ("US", 1960, 0.45, 0.22),
    ("JP", 1960, 0.30, 0.065),
    ("KR", 1980, 0.02, 0.06),
    ("WO", 1978, 0.04, 0.04),
    ("EP", 1978, 0.06, 0.025),
    ("DE", 1960, 0.07, 0.015),
    ("GB", 1960, 0.04, 0.007),
    ("TW", 1990, 0.01, 0.015),
    ("IN", 1995, 0.00, 0.017),
    ("CA", 1960, 0.02, 0.007),
    ("FR", 1960, 0.04, 0.006),
    ("AU", 1960, 0.01, 0.008),
)

# ---------------------------------------------------------------------------------------------
# papers: venues (name, kind, DOI stem, first year, weight); kind is "conference", "journal",
# "series" or "preprint".

VENUES = (
    ("NeurIPS", "conference", "10.5555/NIPS", 1987, 3.0),
    ("Advances in Neural Information Processing Systems", "conference", "10.5555/NIPS", 1987, 2.0),
    ("International Conference on Machine Learning", "conference", "10.5555/ICML", 1980, 2.5),
    ("Proceedings of AAAI", "conference", "10.1609/aaai", 1980, 2.5),
    ("Proceedings of the AAAI Conference on Artificial Intelligence", "conference", "10.1609/aaai", 1980, 1.5),
    ("IJCAI", "conference", "10.24963/ijcai", 1969, 1.8),
    ("International Conference on Learning Representations", "conference", "10.48550/iclr", 2013, 1.5),
    ("IEEE/CVF Conference on Computer Vision and Pattern Recognition", "conference", "10.1109/CVPR", 1983, 3.0),
    ("IEEE International Conference on Computer Vision", "conference", "10.1109/ICCV", 1987, 1.6),
    ("European Conference on Computer Vision", "series", "10.1007/978-3-030", 1990, 1.4),
    ("Annual Meeting of the Association for Computational Linguistics", "conference", "10.18653/v1/ACL", 1963, 1.6),
    ("Conference on Empirical Methods in Natural Language Processing", "conference", "10.18653/v1/EMNLP", 1996, 1.3),
    ("NAACL-HLT", "conference", "10.18653/v1/NAACL", 2000, 0.8),
    ("ACM SIGKDD International Conference on Knowledge Discovery and Data Mining", "conference", "10.1145/KDD", 1995, 1.2),
    ("The Web Conference", "conference", "10.1145/WWW", 1994, 0.8),
    ("ACM Multimedia", "conference", "10.1145/MM", 1993, 0.8),
    ("IEEE International Conference on Robotics and Automation", "conference", "10.1109/ICRA", 1984, 1.5),
    ("IEEE/RSJ International Conference on Intelligent Robots and Systems", "conference", "10.1109/IROS", 1988, 1.2),
    ("IEEE International Conference on Acoustics, Speech and Signal Processing", "conference", "10.1109/ICASSP", 1976, 1.8),
    ("Interspeech", "conference", "10.21437/Interspeech", 1989, 0.9),
    ("International Joint Conference on Neural Networks", "conference", "10.1109/IJCNN", 1987, 1.5),
    ("IEEE International Conference on Image Processing", "conference", "10.1109/ICIP", 1994, 1.2),
    ("International Conference on Pattern Recognition", "conference", "10.1109/ICPR", 1973, 1.0),
    ("Lecture Notes in Computer Science", "series", "10.1007/978-3-319", 1973, 3.5),
    ("Communications in Computer and Information Science", "series", "10.1007/978-981", 2007, 1.0),
    ("Advances in Intelligent Systems and Computing", "series", "10.1007/978-3-319", 2012, 1.2),
    ("IEEE Transactions on Pattern Analysis and Machine Intelligence", "journal", "10.1109/TPAMI", 1979, 1.2),
    ("IEEE Transactions on Neural Networks and Learning Systems", "journal", "10.1109/TNNLS", 1990, 1.2),
    ("IEEE Transactions on Image Processing", "journal", "10.1109/TIP", 1992, 1.0),
    ("IEEE Transactions on Cybernetics", "journal", "10.1109/TCYB", 1971, 0.9),
    ("IEEE Transactions on Industrial Electronics", "journal", "10.1109/TIE", 1963, 0.8),
    ("IEEE Transactions on Intelligent Transportation Systems", "journal", "10.1109/TITS", 2000, 0.8),
    ("IEEE Access", "journal", "10.1109/ACCESS", 2013, 4.0),
    ("IEEE Transactions on Knowledge and Data Engineering", "journal", "10.1109/TKDE", 1989, 0.7),
    ("IEEE Transactions on Medical Imaging", "journal", "10.1109/TMI", 1982, 0.7),
    ("IEEE Transactions on Geoscience and Remote Sensing", "journal", "10.1109/TGRS", 1963, 0.8),
    ("IEEE Transactions on Computers", "journal", "10.1109/TC", 1960, 0.4),
    ("Proceedings of the IEEE", "journal", "10.1109/JPROC", 1960, 0.3),
    ("Journal of Machine Learning Research", "journal", "10.5555/JMLR", 2000, 0.8),
    ("Machine Learning", "journal", "10.1007/s10994", 1986, 0.4),
    ("Artificial Intelligence", "journal", "10.1016/j.artint", 1970, 0.5),
    ("Neural Networks", "journal", "10.1016/j.neunet", 1988, 1.0),
    ("Neurocomputing", "journal", "10.1016/j.neucom", 1989, 2.5),
    ("Pattern Recognition", "journal", "10.1016/j.patcog", 1968, 1.5),
    ("Pattern Recognition Letters", "journal", "10.1016/j.patrec", 1982, 0.8),
    ("Expert Systems with Applications", "journal", "10.1016/j.eswa", 1990, 2.0),
    ("Knowledge-Based Systems", "journal", "10.1016/j.knosys", 1987, 1.2),
    ("Information Sciences", "journal", "10.1016/j.ins", 1968, 1.0),
    ("Applied Soft Computing", "journal", "10.1016/j.asoc", 2001, 1.2),
    ("Engineering Applications of Artificial Intelligence", "journal", "10.1016/j.engappai", 1988, 0.9),
    ("Medical Image Analysis", "journal", "10.1016/j.media", 1996, 0.5),
    ("Computers in Biology and Medicine", "journal", "10.1016/j.compbiomed", 1970, 0.8),
    ("Neural Computing and Applications", "journal", "10.1007/s00521", 1993, 1.5),
    ("Applied Intelligence", "journal", "10.1007/s10489", 1991, 0.8),
    ("Multimedia Tools and Applications", "journal", "10.1007/s11042", 1995, 1.8),
    ("Soft Computing", "journal", "10.1007/s00500", 1997, 0.8),
    ("Sensors", "journal", "10.3390/s", 2001, 2.5),
    ("Applied Sciences", "journal", "10.3390/app", 2011, 2.0),
    ("Remote Sensing", "journal", "10.3390/rs", 2009, 1.2),
    ("Electronics", "journal", "10.3390/electronics", 2012, 1.2),
    ("Scientific Reports", "journal", "10.1038/s41598", 2011, 1.2),
    ("Nature Machine Intelligence", "journal", "10.1038/s42256", 2019, 0.15),
    ("Nature", "journal", "10.1038/nature", 1960, 0.1),
    ("PLoS ONE", "journal", "10.1371/journal.pone", 2006, 0.9),
    ("Journal of Intelligent and Fuzzy Systems", "journal", "10.3233/JIFS", 1993, 0.7),
    ("Neural Computation", "journal", "10.1162/neco", 1989, 0.4),
    ("Journal of the ACM", "journal", "10.1145/JACM", 1960, 0.2),
    ("Communications of the ACM", "journal", "10.1145/CACM", 1960, 0.3),
    ("Computer Vision and Image Understanding", "journal", "10.1016/j.cviu", 1960, 0.3),
    ("International Journal of Computer Vision", "journal", "10.1007/s11263", 1987, 0.4),
    ("Cognitive Science", "journal", "10.1111/cogs", 1977, 0.15),
    ("Acta Automatica Sinica", "journal", "10.16383/j.aas", 1963, 0.4),
    ("Journal of Software", "journal", "10.13328/j.cnki.jos", 1990, 0.3),
    ("Computer Engineering and Applications", "journal", "10.3778/j.issn.1002-8331", 1964, 0.5),
    ("arXiv", "preprint", "10.48550/arXiv", 1991, 2.5),
)

LANGUAGES = (
    ("English", 0.935), ("Chinese", 0.035), ("German", 0.006), ("Japanese", 0.005), ("French", 0.005),
    ("Spanish", 0.005), ("Russian", 0.004), ("Korean", 0.003), ("Portuguese", 0.002),
)

# Paper types by venue kind.
TYPES = {
    "conference": (("Conference Paper", 0.96), ("Review", 0.02), ("Article", 0.02)),
    "series": (("Conference Paper", 0.80), ("Book Chapter", 0.18), ("Review", 0.02)),
    "journal": (("Article", 0.86), ("Review", 0.08), ("Letter", 0.03), ("Editorial", 0.01),
                ("Erratum", 0.01), ("Note", 0.01)),
    "preprint": (("Preprint", 0.97), ("Review", 0.03)),
}

# ---------------------------------------------------------------------------------------------
# affiliations: country -> (share of papers, name aliases with weights, naming culture,
# institutions as "Institution, City[, State]").

AFFILIATION_COUNTRIES = {
    "US": (0.22, (("USA", 6), ("United States", 2), ("U.S.A.", 1)), "western", (
        "Stanford University, Stanford, CA", "Massachusetts Institute of Technology, Cambridge, MA",
        "Carnegie Mellon University, Pittsburgh, PA", "University of California, Berkeley, CA",
        "Google Research, Mountain View, CA", "Microsoft Research, Redmond, WA",
        "University of Washington, Seattle, WA", "Georgia Institute of Technology, Atlanta, GA",
        "University of Illinois at Urbana-Champaign, Urbana, IL", "Cornell University, Ithaca, NY",
        "New York University, New York, NY", "Princeton University, Princeton, NJ",
        "University of Michigan, Ann Arbor, MI", "University of Texas at Austin, Austin, TX",
        "Harvard University, Cambridge, MA", "Columbia University, New York, NY",
        "IBM Research, Yorktown Heights, NY", "Meta AI, Menlo Park, CA",
        "University of Southern California, Los Angeles, CA", "Purdue University, West Lafayette, IN",
        "Arizona State University, Tempe, AZ", "University of Maryland, College Park, MD",
        "Johns Hopkins University, Baltimore, MD", "NVIDIA, Santa Clara, CA",
        "Dept. of Computer Science, University of California, Los Angeles, CA 90095",
    )),
    "CN": (0.26, (("China", 8), ("P.R. China", 2), ("People's Republic of China", 1), ("PR China", 1)), "chinese", (
        "Tsinghua University, Beijing", "Peking University, Beijing",
        "Zhejiang University, Hangzhou", "Shanghai Jiao Tong University, Shanghai",
        "University of Science and Technology of China, Hefei", "Chinese Academy of Sciences, Beijing",
        "Institute of Automation, Chinese Academy of Sciences, Beijing", "Fudan University, Shanghai",
        "Harbin Institute of Technology, Harbin", "Huazhong University of Science and Technology, Wuhan",
        "Wuhan University, Wuhan", "Nanjing University, Nanjing", "Xidian University, Xi'an",
        "Beihang University, Beijing", "Sun Yat-sen University, Guangzhou",
        "Southeast University, Nanjing", "Tongji University, Shanghai",
        "Beijing University of Posts and Telecommunications, Beijing", "Sichuan University, Chengdu",
        "Northwestern Polytechnical University, Xi'an", "Tianjin University, Tianjin",
        "Baidu Research, Beijing", "Alibaba Group, Hangzhou", "Tencent AI Lab, Shenzhen",
        "School of Computer Science and Engineering, South China University of Technology, Guangzhou 510006",
    )),
    "GB": (0.045, (("UK", 5), ("United Kingdom", 3), ("England", 1)), "western", (
        "University of Oxford, Oxford", "University of Cambridge, Cambridge",
        "University College London, London", "Imperial College London, London",
        "University of Edinburgh, Edinburgh", "DeepMind, London", "University of Manchester, Manchester",
    )),
    "DE": (0.04, (("Germany", 1),), "german", (
        "Max Planck Institute for Informatics, Saarbruecken", "Technical University of Munich, Munich",
        "University of Tuebingen, Tuebingen", "Karlsruhe Institute of Technology, Karlsruhe",
        "RWTH Aachen University, Aachen", "German Research Center for Artificial Intelligence, Kaiserslautern",
        "Technische Universität Darmstadt, Darmstadt",
    )),
    "JP": (0.035, (("Japan", 1),), "japanese", (
        "University of Tokyo, Tokyo", "Kyoto University, Kyoto", "Osaka University, Osaka",
        "Tokyo Institute of Technology, Tokyo", "RIKEN Center for Advanced Intelligence Project, Tokyo",
        "Tohoku University, Sendai",
    )),
    "IN": (0.05, (("India", 1),), "indian", (
        "Indian Institute of Science, Bangalore", "Indian Institute of Technology Bombay, Mumbai",
        "Indian Institute of Technology Delhi, New Delhi", "Indian Institute of Technology Madras, Chennai",
        "Anna University, Chennai", "Vellore Institute of Technology, Vellore",
    )),
    "KR": (0.035, (("South Korea", 3), ("Republic of Korea", 2), ("Korea", 2)), "korean", (
        "KAIST, Daejeon", "Seoul National University, Seoul", "Korea University, Seoul",
        "Yonsei University, Seoul", "POSTECH, Pohang", "Samsung Advanced Institute of Technology, Suwon",
    )),
    "CA": (0.03, (("Canada", 1),), "western", (
        "Mila, Montreal, QC", "University of Toronto, Toronto, ON", "Vector Institute, Toronto, ON",
        "University of Alberta, Edmonton, AB", "University of British Columbia, Vancouver, BC",
        "McGill University, Montreal, QC",
    )),
    "FR": (0.025, (("France", 1),), "french", (
        "Inria, Paris", "CNRS, Paris", "Sorbonne Université, Paris", "Université Grenoble Alpes, Grenoble",
        "École Polytechnique, Palaiseau",
    )),
    "CH": (0.012, (("Switzerland", 1),), "german", (
        "ETH Zurich, Zurich", "EPFL, Lausanne", "IDSIA, Lugano",
    )),
    "IT": (0.022, (("Italy", 1),), "western", (
        "Politecnico di Milano, Milan", "University of Bologna, Bologna", "Sapienza University of Rome, Rome",
    )),
    "ES": (0.02, (("Spain", 1),), "western", (
        "Universitat Politècnica de Catalunya, Barcelona", "University of Granada, Granada",
        "Universidad Politécnica de Madrid, Madrid",
    )),
    "AU": (0.02, (("Australia", 1),), "western", (
        "University of Sydney, Sydney, NSW", "Monash University, Melbourne, VIC",
        "University of Technology Sydney, Sydney, NSW", "Australian National University, Canberra, ACT",
    )),
    "SG": (0.012, (("Singapore", 1),), "chinese", (
        "National University of Singapore, Singapore", "Nanyang Technological University, Singapore",
    )),
    "HK": (0.01, (("Hong Kong", 2), ("Hong Kong SAR", 1)), "chinese", (
        "The Chinese University of Hong Kong, Shatin", "Hong Kong University of Science and Technology, Kowloon",
        "The University of Hong Kong, Pokfulam",
    )),
    "TW": (0.012, (("Taiwan", 1),), "chinese", (
        "National Taiwan University, Taipei", "National Tsing Hua University, Hsinchu",
    )),
    "NL": (0.01, (("The Netherlands", 2), ("Netherlands", 2)), "western", (
        "University of Amsterdam, Amsterdam", "Delft University of Technology, Delft",
    )),
    "IL": (0.008, (("Israel", 1),), "western", (
        "Technion, Haifa", "Weizmann Institute of Science, Rehovot", "Tel Aviv University, Tel Aviv",
    )),
    "IR": (0.015, (("Iran", 1),), "western", (
        "University of Tehran, Tehran", "Sharif University of Technology, Tehran",
    )),
    "BR": (0.012, (("Brazil", 1),), "western", (
        "University of São Paulo, São Paulo", "Federal University of Rio de Janeiro, Rio de Janeiro",
    )),
    "RU": (0.008, (("Russia", 2), ("Russian Federation", 1)), "western", (
        "Skolkovo Institute of Science and Technology, Moscow", "Moscow Institute of Physics and Technology, Dolgoprudny",
    )),
    "TR": (0.01, (("Turkey", 1),), "western", (
        "Middle East Technical University, Ankara", "Bogazici University, Istanbul",
    )),
    "SA": (0.008, (("Saudi Arabia", 1),), "western", (
        "King Abdullah University of Science and Technology, Thuwal",
    )),
    "SE": (0.006, (("Sweden", 1),), "western", (
        "KTH Royal Institute of Technology, Stockholm", "Chalmers University of Technology, Gothenburg",
    )),
    "MY": (0.006, (("Malaysia", 1),), "chinese", (
        "University of Malaya, Kuala Lumpur",
    )),
}

# ---------------------------------------------------------------------------------------------
# author names by culture: (given names, family names, share among papers without affiliation)

NAMES = {
    "chinese": (
        ("Wei", "Jing", "Min", "Lei", "Yan", "Tao", "Jun", "Hao", "Xin", "Yu", "Ying", "Hui", "Yang",
         "Ming", "Jie", "Chao", "Qiang", "Xiaoming", "Yifan", "Zhiwei", "Jian", "Li", "Fang", "Bo",
         "Peng", "Lin", "Kai", "Xiaoyu", "Haoran", "Zihan", "Yuxuan", "Shuai", "Dong", "Rui", "Qi"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
         "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Gao", "Zheng", "Liang", "Xie", "Song", "Tang",
         "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai"),
    ),
    "western": (
        ("John", "Michael", "David", "James", "Robert", "Sarah", "Emily", "Daniel", "Thomas", "Laura",
         "Andrew", "Jennifer", "Christopher", "Jessica", "Matthew", "Anna", "Mark", "Maria", "Paul",
         "Elena", "Kevin", "Rachel", "Brian", "Olivia", "Marco", "Giulia", "Carlos", "Sofia", "Ivan",
         "Noah", "Ethan", "Grace", "Samuel", "Hannah", "Benjamin", "Lucas", "Ali", "Reza"),
        ("Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
         "Taylor", "Thomas", "Moore", "Martin", "Jackson", "White", "Harris", "Clark", "Lewis",
         "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams",
         "Baker", "Nelson", "O'Brien", "Rossi", "Garcia", "Rodriguez", "Ivanov", "Cohen", "Ahmadi"),
    ),
    "german": (
        ("Thomas", "Andreas", "Stefan", "Michael", "Markus", "Julia", "Katharina", "Felix", "Lukas",
         "Jonas", "Anna", "Sebastian", "Matthias", "Christian", "Laura", "Tobias", "Jürgen", "Niklas"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
         "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann"),
    ),
    "japanese": (
        ("Hiroshi", "Takashi", "Yuki", "Kenji", "Satoshi", "Naoki", "Akira", "Yusuke", "Haruka",
         "Kazuki", "Shota", "Daisuke", "Tomoko", "Ryo", "Masashi", "Keiko"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura"),
    ),
    "korean": (
        ("Min-jun", "Seo-yeon", "Ji-hoon", "Hyun-woo", "Ji-won", "Sung-min", "Dong-hyun", "Eun-ji",
         "Jae-hyun", "Soo-jin", "Young-ho", "Hye-jin", "Jin-woo", "Sang-hoon"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh",
         "Seo", "Shin", "Kwon", "Hwang"),
    ),
    "indian": (
        ("Rahul", "Priya", "Amit", "Anil", "Sunita", "Vikram", "Anjali", "Rajesh", "Deepak", "Pooja",
         "Sanjay", "Arjun", "Kavya", "Ravi", "Neha", "Suresh", "Aditya", "Lakshmi"),
        ("Sharma", "Kumar", "Singh", "Gupta", "Patel", "Reddy", "Iyer", "Nair", "Rao", "Das",
         "Joshi", "Mehta", "Verma", "Chatterjee", "Banerjee", "Agarwal", "Mishra", "Pillai"),
    ),
    "french": (
        ("Jean", "Pierre", "Marie", "Camille", "Julien", "Nicolas", "Céline", "Antoine", "Hélène",
         "François", "Mathieu", "Élodie", "Guillaume", "Sophie"),
        ("Dubois", "Martin", "Bernard", "Lefèvre", "Moreau", "Laurent", "Girard", "Bonnet", "Dupont",
         "Lambert", "Fontaine", "Rousseau", "Mercier", "Blanc"),
    ),
}
