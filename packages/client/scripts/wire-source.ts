import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import {
  AccountExport,
  ChatMessage,
  ClientFrames,
  CloseCode,
  DirectRoom,
  ErrorBody,
  ErrorCode,
  Erasure,
  ServerFrames,
  UploadTicket,
  VerifiedFile,
} from '@chat/contracts';

/**
 * The published client must not depend on the server's contracts package (nor on its validation
 * library), yet must speak exactly its frames. So the wire types it needs are printed from the
 * contract's schemas into `src/wire.ts`, committed, and checked to be current by a unit test, as
 * the AsyncAPI document is.
 */
interface Schema {
  type?: string | string[];
  const?: unknown;
  anyOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  patternProperties?: Record<string, Schema>;
  description?: string;
}

const indent = (text: string, depth: number) => text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
const doc = (description: string | undefined, depth: number) =>
  description ? `${'  '.repeat(depth)}/** ${description.replace(/\*\//g, '*\\/')} */\n` : '';

const printObject = (schema: Schema, depth: number): string => {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(
    ([name, property]) =>
      `${doc(property.description, depth + 1)}${'  '.repeat(depth + 1)}${name}${required.has(name) ? '' : '?'}: ${printType(property, depth + 1)};`,
  );
  return `{\n${lines.join('\n')}\n${'  '.repeat(depth)}}`;
};

/** TypeScript for a JSON Schema as TypeBox builds them; anything unforeseen stops the generator. */
export const printType = (schema: Schema, depth = 0): string => {
  if (schema.const !== undefined) return JSON.stringify(schema.const).replace(/"/g, "'");
  if (schema.anyOf) return schema.anyOf.map((member) => printType(member, depth)).join(' | ');
  switch (schema.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = printType(schema.items ?? {}, depth);
      return item.includes(' | ') ? `Array<${item}>` : `${item}[]`;
    }
    case 'object': {
      const values = Object.values(schema.patternProperties ?? {});
      if (values.length === 1 && !schema.properties) return `Record<string, ${printType(values[0]!, depth)}>`;
      return printObject(schema, depth);
    }
    default:
      throw new Error(`No TypeScript for the schema ${JSON.stringify(schema)}.`);
  }
};

const printFrames = (name: string, frames: Record<string, Schema>) => {
  const entries = Object.entries(frames).map(
    ([type, schema]) => `${doc(schema.description, 1)}  ${type}: ${indent(printType(schema, 0), 1)};`,
  );
  return `export interface ${name} {\n${entries.join('\n')}\n}\n`;
};

const printAlias = (name: string, schema: Schema, description: string) =>
  `/** ${description} */\nexport type ${name} = ${printType(schema)};\n`;

/** Where the generated types are committed. */
export const WIRE_PATH = fileURLToPath(new URL('../src/wire.ts', import.meta.url));

export const WIRE_HEADER = '// Generated from @chat/contracts by `pnpm docs:asyncapi`; do not edit.';

/** The text of `src/wire.ts`, formatted as the repository's other sources. */
export const renderWire = async (path: string): Promise<string> => {
  const text = [
    `${WIRE_HEADER}\n// The published package carries the wire shapes it speaks, not the contracts package.\n`,
    `/** Stable codes of the server's refusals: clients may branch on them. */\nexport type ErrorCode = ${Object.values(
      ErrorCode,
    )
      .map((code) => `'${code}'`)
      .join(' | ')};\n`,
    `/** WebSocket close codes the gateway uses. */\nexport const CloseCode = ${JSON.stringify(
      CloseCode,
      null,
      2,
    ).replace(/"(\w+)":/g, '$1:')} as const;\n`,
    `/** The longest \`content\` a \`send_message\` may carry. */\nexport const MAX_CONTENT_LENGTH = ${ClientFrames.send_message.properties.content.maxLength};\n`,
    printAlias(
      'ChatMessage',
      ChatMessage,
      'A message of a room, as delivered live, on resume and in history.',
    ),
    printAlias('ErrorBody', ErrorBody, 'A refused REST request: its code, why, and when to retry.'),
    printAlias('DirectRoom', DirectRoom, 'The direct room of two users (`POST /api/dms`).'),
    printAlias('UploadTicket', UploadTicket, 'Where to upload a file (`POST /api/media/uploads`).'),
    printAlias(
      'VerifiedFile',
      VerifiedFile,
      'A file whose upload was checked (`POST /api/media/{file_id}/complete`).',
    ),
    printAlias('AccountExport', AccountExport, 'Everything held about the user (`GET /api/me/export`).'),
    printAlias('Erasure', Erasure, "The user's erasure (`DELETE /api/me`)."),
    `/** Frames the client sends to \`/ws\`, by \`type\`. */\n${printFrames('ClientFrames', ClientFrames)}`,
    `/** Frames the gateway sends, by \`type\`. */\n${printFrames('ServerFrames', ServerFrames)}`,
    'export type ClientFrame = ClientFrames[keyof ClientFrames];\n',
    'export type ClientFrameOf<K extends keyof ClientFrames> = ClientFrames[K];\n',
    'export type ServerFrame = ServerFrames[keyof ServerFrames];\n',
    'export type ServerFrameOf<K extends keyof ServerFrames> = ServerFrames[K];\n',
  ].join('\n');
  return format(text, { ...(await resolveConfig(path)), filepath: path });
};
