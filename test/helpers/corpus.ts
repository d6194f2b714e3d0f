import { fileURLToPath } from 'node:url';

/** The shared corpus beside the project (absent on some machines: tests using it skip then). */
export const CORPUS = process.env.TTYCONF_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
