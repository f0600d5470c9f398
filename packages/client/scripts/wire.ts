import { writeFileSync } from 'node:fs';
import { renderWire, WIRE_PATH } from './wire-source';

writeFileSync(WIRE_PATH, await renderWire(WIRE_PATH));
process.stdout.write(`wrote ${WIRE_PATH}\n`);
