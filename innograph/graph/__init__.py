"""Graph stores (embedded LadybugDB by default) and the loader that fills them."""
