// Times one reference composition over the generated subgraphs, in this process: the first run, then <rounds> more.
// Prints one JSON line. Usage: node compose.mjs <dir> <apollo|guild> <rounds>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'graphql';

const [dir, impl, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const files = readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
const services = () => files.map((f) => ({
  name: f.replace('.graphql', ''),
  url: `http://${f.replace('.graphql', '')}.invalid/graphql`,
  typeDefs: parse(readFileSync(join(dir, f), 'utf8')),
}));

let compose;
if (impl === 'apollo') {
  const { composeServices } = await import('@apollo/composition');
  compose = (s) => {
    const result = composeServices(s);
    return { errors: result.errors?.map((e) => e.message), sdl: result.supergraphSdl };
  };
} else {
  const { composeServices } = await import('@theguild/federation-composition');
  compose = (s) => {
    const result = composeServices(s);
    return { errors: result.errors?.map((e) => e.message), sdl: result.supergraphSdl };
  };
}
const times = [];
let last;
for (let i = 0; i <= rounds; i++) {
  const input = services();
  const start = performance.now();
  last = compose(input);
  times.push(performance.now() - start);
}
const types = last.sdl ? (last.sdl.match(/^(type|interface|union|enum|input|scalar) /gm) ?? []).length : 0;
console.log(JSON.stringify({ impl, first: times[0], times: times.slice(1), types,
  errors: last.errors ? last.errors.slice(0, 3) : null }));
