import { readFileSync } from 'node:fs';
import * as contracts from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { renderWire, WIRE_PATH } from '../scripts/wire-source';
import * as wire from './wire';

/** Does not compile (`pnpm typecheck`) unless each type is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(proof: Same<A, B>) => proof;
same<wire.ChatMessage, contracts.ChatMessage>(true);
same<wire.DirectRoom, contracts.DirectRoom>(true);
same<wire.UploadTicket, contracts.UploadTicket>(true);
same<wire.VerifiedFile, contracts.VerifiedFile>(true);
same<wire.ErrorCode, contracts.ErrorCode>(true);
same<wire.ServerFrame, contracts.ServerFrame>(true);
same<wire.ClientFrame, contracts.ClientFrame>(true);
same<wire.ServerFrameOf<'ack'>, contracts.ServerFrameOf<'ack'>>(true);
same<wire.ClientFrameOf<'typing'>, contracts.ClientFrameOf<'typing'>>(true);

describe('the wire types the published client carries', () => {
  it('are printed from the current contracts (`pnpm docs:asyncapi` rewrites them)', async () => {
    expect(readFileSync(WIRE_PATH, 'utf8')).toBe(await renderWire(WIRE_PATH));
  });

  it('carry the contracts’ constants', () => {
    expect(wire.CloseCode).toEqual(contracts.CloseCode);
    expect(wire.MAX_CONTENT_LENGTH).toBe(contracts.ClientFrames.send_message.properties.content.maxLength);
  });
});
