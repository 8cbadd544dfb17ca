// Neo4j's own Cypher front end (syntax and semantic analysis) over a batch of statements.
//
// Input on stdin, JSON, either a list of statements or an object:
//   [{"name": "...", "query": "...", "parameters": {...}, "dbSchema": {...}}, ...]
//   {"statements": [...], "dbSchema": {...}, "functions": "builtin", "procedures": "none"}
// - parameters: declared parameters (name -> sample value). When a statement carries the key,
//   every $param it uses must be declared; when it does not, parameters are not checked.
// - dbSchema (top level, then per statement, merged over it): passed to lintCypherQuery as is,
//   e.g. labels, relationshipTypes, propertyKeys, graphSchema, procedures, functions,
//   defaultLanguage ("CYPHER 5" unless given).
// - functions: "builtin" (default) = Neo4j's built-in functions (the package's recorded registry
//   without apoc.* and gds.*), so unknown or APOC functions are errors; "mock" = the whole
//   recorded registry (with APOC and GDS); "none" = functions are not checked; or a registry;
//   or {"base": "builtin"|"mock", "add": registry} = that registry plus the given entries.
// - procedures: "none" (default) = procedures are not checked; "mock" = the package's recorded
//   registry (db.*, dbms.*, gds.*, apoc.*); or a registry {"CYPHER 5": {name: signature}}.
//
// Output on stdout, JSON: [{"name", "diagnostics": [{severity, message, range, offsets}]}]
// (severity 1 = error, 2 = warning). Exit status 0 when the batch was linted, 2 on bad input.
import * as pkg from '@neo4j-cypher/language-support';

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

function builtinRegistry(registry) {
  const out = {};
  for (const [version, fns] of Object.entries(registry)) {
    out[version] = Object.fromEntries(
      Object.entries(fns).filter(([name]) => !name.startsWith('apoc.') && !name.startsWith('gds.')),
    );
  }
  return out;
}

function resolveRegistry(choice, kind) {
  const mock = pkg.testData.mockSchema[kind];
  if (choice === undefined || choice === null) return kind === 'functions' ? builtinRegistry(mock) : undefined;
  if (choice === 'builtin') return builtinRegistry(mock);
  if (choice === 'mock') return mock;
  if (choice === 'none') return undefined;
  if (typeof choice === 'object' && choice.base !== undefined) {
    const base = resolveRegistry(choice.base, kind) ?? {};
    const out = {};
    for (const version of new Set([...Object.keys(base), ...Object.keys(choice.add ?? {})])) {
      out[version] = { ...(base[version] ?? {}), ...((choice.add ?? {})[version] ?? {}) };
    }
    return out;
  }
  if (typeof choice === 'object') return choice;
  throw new Error(`${kind} must be "builtin", "mock", "none" or a registry object, not ${JSON.stringify(choice)}`);
}

async function main() {
  let input;
  try {
    input = JSON.parse(await readStdin());
  } catch (err) {
    process.stderr.write(`lint.mjs: stdin is not JSON: ${err.message}\n`);
    process.exit(2);
  }
  const batch = Array.isArray(input) ? { statements: input } : input;
  if (!batch || !Array.isArray(batch.statements)) {
    process.stderr.write('lint.mjs: expected a JSON list of statements or {"statements": [...]}\n');
    process.exit(2);
  }
  let functions, procedures;
  try {
    functions = resolveRegistry(batch.functions, 'functions');
    procedures = resolveRegistry(batch.procedures ?? 'none', 'procedures');
  } catch (err) {
    process.stderr.write(`lint.mjs: ${err.message}\n`);
    process.exit(2);
  }
  const base = { defaultLanguage: 'CYPHER 5', ...(batch.dbSchema ?? {}) };
  if (functions !== undefined && base.functions === undefined) base.functions = functions;
  if (procedures !== undefined && base.procedures === undefined) base.procedures = procedures;

  const results = batch.statements.map((stmt, i) => {
    const name = stmt.name ?? `statement ${i + 1}`;
    if (typeof stmt.query !== 'string') {
      return { name, diagnostics: [{ severity: 1, message: 'no query text given' }] };
    }
    const dbSchema = { ...base, ...(stmt.dbSchema ?? {}) };
    if (stmt.parameters !== undefined) dbSchema.parameters = stmt.parameters;
    try {
      const { diagnostics } = pkg.lintCypherQuery(stmt.query, dbSchema);
      return {
        name,
        diagnostics: diagnostics.map((d) => ({
          severity: d.severity,
          message: d.message,
          range: d.range,
          offsets: d.offsets,
        })),
      };
    } catch (err) {
      return { name, diagnostics: [{ severity: 1, message: `linter crashed: ${err.message}` }] };
    }
  });
  process.stdout.write(JSON.stringify(results));
}

main();
