import type { ReceivedSpan } from '@chat/testkit';
import { eventually } from '@chat/testkit';
import { expect } from 'vitest';
import { join, sendAndAck, type Harness } from './harness';

/** The services' names in the spans: one process (`chat-embedded`) or the fleet's. */
export interface TracedServices {
  gateway: string;
  message: string;
}

const SERVER = 2;
const ERROR = 2;

/** The spans of one trace, and finders that fail with the whole trace in the message. */
const traceOf = (spans: ReceivedSpan[], traceId: string) => {
  const all = spans.filter((span) => span.traceId === traceId);
  const describe = () => all.map((s) => `${s.service} ${s.name} ${s.spanId}←${s.parentSpanId}`).join('\n');
  const find = (what: string, match: (span: ReceivedSpan) => boolean) => {
    const found = all.find(match);
    if (!found) throw new Error(`no ${what} in the trace:\n${describe()}`);
    return found;
  };
  const child = (of: ReceivedSpan, name: string, more: (span: ReceivedSpan) => boolean = () => true) =>
    find(
      `${name} under ${of.name}`,
      (span) => span.parentSpanId === of.spanId && span.name === name && more(span),
    );
  return { all, find, child };
};

/** The trace of a frame sent with `client_msg_id`: its span names it. */
const traceOfFrame = (spans: ReceivedSpan[], clientMsgId: string) => {
  const frame = spans.find((span) => span.attributes['chat.client_msg_id'] === clientMsgId);
  if (!frame) throw new Error(`no span for the frame ${clientMsgId} yet`);
  return traceOf(spans, frame.traceId);
};

/**
 * One message, one trace, across every process it passes: the gateway's frame span is the root;
 * under it the command's publish, the message service's consumption, decision and append; under
 * the decision the relay's publish of the event, then the gateway's fan-out and each projection's
 * apply. Then a refused command: its decision's span, and the gateway's answer, record the error.
 * Resolves to the spans of the message's trace.
 */
export const expectMessagesTraced = async (
  h: Harness,
  spans: ReceivedSpan[],
  services: TracedServices,
): Promise<ReceivedSpan[]> => {
  const alice = await h.connect('alice');
  try {
    await join(alice, 'general');
    const clientMsgId = crypto.randomUUID();
    await sendAndAck(alice, 'general', 'traced from end to end', clientMsgId);

    const traced = await eventually(
      () => {
        const { all, find, child } = traceOfFrame(spans, clientMsgId);
        const frame = find('frame span', (span) => span.name === 'ws send_message');
        expect(frame).toMatchObject({ service: services.gateway, parentSpanId: '', kind: SERVER });
        const command = child(frame, 'publish message.commands');
        const consumed = child(
          command,
          'process message.commands',
          (span) => span.service === services.message,
        );
        const decided = child(consumed, 'decide');
        expect(decided.status.code).not.toBe(ERROR);
        child(decided, 'append');
        child(consumed, 'publish message.outcomes');
        const relayed = child(decided, 'publish message.events');
        const fannedOut = child(relayed, 'process message.events', (span) =>
          String(span.attributes['messaging.consumer.group.name']).endsWith('.fanout'),
        );
        expect(fannedOut.service).toBe(services.gateway);
        child(fannedOut, 'fanout');
        const projected = traceOf(spans, decided.traceId).all.filter((span) =>
          span.name.startsWith('apply '),
        );
        expect(projected.length).toBeGreaterThan(0);
        for (const apply of projected) {
          const consumer = find(`consumer of ${apply.name}`, (span) => span.spanId === apply.parentSpanId);
          expect(consumer).toMatchObject({ name: 'process message.events', parentSpanId: relayed.spanId });
        }
        return all;
      },
      20_000,
      200,
    );

    const refusedId = crypto.randomUUID();
    const refused = alice.nextOfType('error', 10_000, (frame) => frame.ref === refusedId);
    alice.send({
      type: 'send_message',
      room_id: 'general',
      content: 'a reply to nothing',
      thread_id: 'msg_no_such_message',
      client_msg_id: refusedId,
    });
    expect(await refused).toMatchObject({ code: 'message_not_found' });
    await eventually(
      () => {
        const { find } = traceOfFrame(spans, refusedId);
        const decided = find('the decision', (span) => span.name === 'decide');
        expect(decided).toMatchObject({
          service: services.message,
          status: { code: ERROR },
          attributes: { 'chat.rejection': 'message_not_found' },
        });
        // The frame's span lasts until its answer: the refusal is on it too.
        const frame = find(
          'frame span',
          (span) => span.name === 'ws send_message' && span.parentSpanId === '',
        );
        expect(frame).toMatchObject({
          service: services.gateway,
          status: { code: ERROR, message: expect.stringContaining('message_not_found') },
        });
      },
      20_000,
      200,
    );
    return traced;
  } finally {
    alice.close();
  }
};
