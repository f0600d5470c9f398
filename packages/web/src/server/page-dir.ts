import { fileURLToPath } from 'node:url';

/** Where the build writes the page (`index.html` and `assets/`), and where the platform serves it from. */
export const PAGE_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
