// Writes a synthetic federated graph for the composition benchmark: <count> subgraphs, each owning 4 entities
// (key id) and 15 value types of its own, extending 3 entities of its neighbours with fields that @requires the
// owner's price, providing a neighbour's name through a root field (@provides), and sharing 20 @shareable value types.
// 100 subgraphs give about 2,000 types. Usage: node generate.mjs <dir> <count>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, countArg] = process.argv.slice(2);
const count = Number(countArg ?? 100);
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", '
  + 'import: ["@key", "@shareable", "@external", "@requires", "@provides"])\n';
const extended = (s, t) => ((s + t) % count) * 4 + (t % 4);

mkdirSync(dir, { recursive: true });
let config = 'subgraphs:\n';
for (let s = 0; s < count; s++) {
  let sdl = LINK;
  const provided = extended(s, 1);
  sdl += `type Query { q${s}: [E${s * 4}] p${s}: E${provided} @provides(fields: "name") }\n`;
  for (let k = 0; k < 4; k++) {
    const e = s * 4 + k;
    sdl += `type E${e} @key(fields: "id") { id: ID! name: String @shareable price: Int next: E${s * 4 + (k + 1) % 4} shared: V${e % 20}`;
    for (let m = 0; m < 15; m++) if (m % 4 === k) sdl += ` o${m}: O${s}_${m}`;
    sdl += ' }\n';
  }
  for (let m = 0; m < 15; m++) sdl += `type O${s}_${m} { a: Int b: String c: [Int] }\n`;
  for (let v = 0; v < 20; v++) sdl += `type V${v} @shareable { a: Int b: String }\n`;
  for (let t = 1; t <= 3; t++) {
    const e = extended(s, t);
    if (Math.floor(e / 4) === s) continue;
    const name = e === provided ? ' name: String @external' : '';
    sdl += `type E${e} @key(fields: "id") { id: ID!${name} price: Int @external ext${s}: Int cost${s}: Int @requires(fields: "price") }\n`;
  }
  writeFileSync(join(dir, `s${s}.graphql`), sdl);
  config += `  s${s}:\n    routing_url: http://s${s}.invalid/graphql\n    schema:\n      file: ./s${s}.graphql\n`;
}
writeFileSync(join(dir, 'supergraph.yaml'), config);
