import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedHarness } from './embedded';
import { join as joinRoom, sendAndAck, type Harness } from './harness';

const OBSERVABILITY = join(REPO_ROOT, 'infra/observability');

/** The series names a scrape can hold: every metric its TYPE lines declare, histograms expanded. */
const seriesNamesIn = (exposition: string): Set<string> => {
  const names = new Set<string>();
  for (const [, name, kind] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (kind === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
};

/** The platform's and the Node runtime's metric names a file uses (Prometheus's own `up` aside). */
const metricNamesIn = (text: string): string[] => [
  ...new Set(text.match(/\b(?:chat|nodejs|process)_[a-z0-9_]+\b/g) ?? []),
];

const observabilityFiles = () => [
  join(OBSERVABILITY, 'prometheus/rules/chat.yml'),
  ...readdirSync(join(OBSERVABILITY, 'grafana/dashboards')).map((file) =>
    join(OBSERVABILITY, 'grafana/dashboards', file),
  ),
];

describe('metrics the operators watch', () => {
  let h: Harness;
  let scraped: string;
  beforeAll(async () => {
    h = await startEmbeddedHarness();
    // Traffic of every kind the dashboards show: a socket, a message and its ack, a REST call.
    const socket = await h.connect('operator');
    await joinRoom(socket, 'general');
    await sendAndAck(socket, 'general', 'observed');
    expect((await h.api('operator', 'GET', '/api/rooms')).status).toBe(200);
    socket.close();
    scraped = await (await fetch(`${h.apiUrl}/metrics`)).text();
  }, 60_000);
  afterAll(() => h.stop());

  it.each(observabilityFiles().map((file) => [file.slice(REPO_ROOT.length)]))(
    'every metric %s uses is one the services expose',
    (file) => {
      const used = metricNamesIn(readFileSync(join(REPO_ROOT, file), 'utf8'));
      expect(used.length).toBeGreaterThan(0);
      const exposed = seriesNamesIn(scraped);
      expect(used.filter((name) => !exposed.has(name))).toEqual([]);
    },
  );

  it('counts frames by result, REST requests by route, appends, and each group position and lag', () => {
    expect(scraped).toMatch(/^chat_ws_frames_total\{type="send_message",result="ok"\} 1$/m);
    expect(scraped).toMatch(
      /^chat_http_requests_total\{method="GET",route="\/api\/rooms",status="200"\} 1$/m,
    );
    expect(scraped).toMatch(/^chat_eventstore_append_seconds_count [1-9]\d*$/m);
    expect(scraped).toMatch(
      /^chat_bus_records_handled_total\{group="message-commands",topic="message.commands"\} [1-9]\d*$/m,
    );
    expect(scraped).toMatch(
      /^chat_bus_consumer_offset\{group="message-commands",topic="message.commands",partition="\d+"\} [1-9]\d*$/m,
    );
    expect(scraped).toMatch(
      /^chat_bus_consumer_lag\{group="message-commands",topic="message.commands",partition="\d+"\} 0$/m,
    );
  });
});
