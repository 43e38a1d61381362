/**
 * chevrotain, loaded from the single-file build the package ships.
 *
 * The package's public entry point is an ES module graph of several hundred files
 * (lodash-es), which takes about 0.6 s to load and would dominate the start-up of every
 * `kindling` command; the bundled `lib/chevrotain.mjs` of the same version loads in
 * ~25 ms. Every parser in Kindling imports chevrotain through this module (types may
 * still come from 'chevrotain'), so token types and parsers all come from one copy.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

async function loadChevrotain(): Promise<Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain'); // …/lib/src/api.js
    return (await import(pathToFileURL(join(dirname(entry), '..', 'chevrotain.mjs')).href)) as Chevrotain;
  } catch {
    return import('chevrotain');
  }
}

const chevrotain: Chevrotain = await loadChevrotain();

export const { createToken, EmbeddedActionsParser, EOF, Lexer, tokenMatcher } = chevrotain;
