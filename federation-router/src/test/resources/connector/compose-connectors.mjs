// Composes the supergraph of every connector fixture (connector/apollo/*.yaml) with Apollo's composition package,
// used as a tool only, so the router runs Apollo Connectors supergraphs exactly as Apollo's tooling writes them.
//
// Rerun after changing a fixture's subgraph schemas:
//   mkdir -p /tmp/compose && cd /tmp/compose && npm i @apollo/composition@2.14 graphql yaml
//   NODE_PATH=/tmp/compose/node_modules node federation-router/src/test/resources/connector/compose-connectors.mjs
// It rewrites the `supergraph:` key of each fixture in place (other keys untouched).
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(join(process.env.NODE_PATH || '/tmp/compose/node_modules', 'x.js'));
const { composeServices } = require('@apollo/composition');
const { parse } = require('graphql');
const YAML = require('yaml');

const root = join(dirname(fileURLToPath(import.meta.url)), 'apollo');
let failed = 0;
for (const file of readdirSync(root).filter((f) => f.endsWith('.yaml')).sort()) {
  const path = join(root, file);
  const doc = YAML.parse(readFileSync(path, 'utf8'));
  const services = Object.entries(doc.subgraphs).map(([name, sdl]) =>
    ({ name, url: `http://${name}.invalid/graphql`, typeDefs: parse(sdl) }));
  const result = composeServices(services);
  if (result.errors) {
    failed++;
    console.error(`${file}: composition failed:\n  ` + result.errors.map((e) => e.message).join('\n  '));
    continue;
  }
  const text = readFileSync(path, 'utf8');
  const cut = text.indexOf('\nsupergraph: |');
  const head = cut < 0 ? text.replace(/\n*$/, '\n') : text.slice(0, cut + 1);
  writeFileSync(path, head + 'supergraph: |\n' + result.supergraphSdl.trim().split('\n')
    .map((l) => (l.length ? '  ' + l : '')).join('\n') + '\n');
  console.log(`${file}: composed`);
}
process.exit(failed ? 1 : 0);
