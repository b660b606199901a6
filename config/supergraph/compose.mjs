// Composes the four example subgraphs into the Federation v2 supergraph the Atrium router loads.
//
// Rerun after changing any subgraphs/<name>.graphql (the same files the Java subgraphs in
// examples/ serve, packaged from here by examples/pom.xml):
//
//   cd config/supergraph && npm i --no-save @apollo/composition@2.14.4 graphql@16.15.0 && node compose.mjs
//
// Writes examples.graphql (subgraph URLs on 127.0.0.1, for tests and the local launcher; Docker
// Compose overrides the URLs in config/router/compose.yaml). Fails with the composition errors if
// the subgraphs do not compose. node_modules stays untracked.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

const here = dirname(fileURLToPath(import.meta.url));
const subgraphs = [
  { name: "accounts", port: 4001 },
  { name: "products", port: 4002 },
  { name: "inventory", port: 4003 },
  { name: "reviews", port: 4004 },
];

function compose(hostFor) {
  const services = subgraphs.map(({ name, port }) => ({
    name,
    url: `http://${hostFor(name)}:${port}/graphql`,
    typeDefs: parse(readFileSync(join(here, "subgraphs", `${name}.graphql`), "utf8")),
  }));
  const result = composeServices(services);
  if (result.errors && result.errors.length > 0) {
    for (const error of result.errors) {
      console.error(`composition error: ${error.message}`);
    }
    process.exit(1);
  }
  for (const hint of result.hints ?? []) {
    console.warn(`hint: ${hint.definition.code}: ${hint.message}`);
  }
  return result.supergraphSdl.endsWith("\n") ? result.supergraphSdl : `${result.supergraphSdl}\n`;
}

const outputs = {
  "examples.graphql": () => "127.0.0.1",
};
for (const [file, hostFor] of Object.entries(outputs)) {
  writeFileSync(join(here, file), compose(hostFor));
  console.log(`wrote ${file}`);
}
