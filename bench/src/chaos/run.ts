import { resolveFleetServers, startFleet } from '@chat/e2e/fleet';
import { inPool, tokensFor } from '../load/connect';
import { ErrorCounts } from '../measure/counters';
import { progress } from '../print';
import { BENCH_FLEET_ENV, createRoomOverRest } from '../targets/target';
import { nativeWire } from '../wire/wire';
import { faultsNamed, restoreServers, SpareGateway, type Fault } from './faults';
import { Ledger, type OrderViolation } from './ledger';
import { ChaosMember } from './member';
import { drain, membersBehind, readModelCaughtUp, storedHistories } from './readback';
import {
  historyGaps,
  judgeWindow,
  p99DeliveryMs,
  secondsToNormal,
  type NormalRule,
  type Window,
  type WindowVerdict,
} from './verdict';

export interface ChaosConfig {
  clients: number;
  roomSize: number;
  /** Messages per second over all clients, on a constant-rate schedule. */
  rate: number;
  /** Short fault names, comma-separated, injected in this order (see FAULTS). */
  faults: string;
  /** Load without faults before the baseline: a fresh fleet creates its topics and consumer groups. */
  warmupSeconds: number;
  /** Load without faults before the first fault: its p99 delivery sets the threshold of "normal". */
  baselineSeconds: number;
  /** A fault's window ends this long after back to normal… */
  settleSeconds: number;
  /** …or this long after the fault, whichever comes first. */
  maxWindowSeconds: number;
  /** "Normal" delivery: p99 at most thresholdFactor × the baseline's p99, and never below thresholdMs. */
  thresholdMs: number;
  thresholdFactor: number;
  stableSeconds: number;
  answerTimeoutSeconds: number;
  maxAttempts: number;
  /** After the last send: how long acks, resends and deliveries may still arrive. */
  drainSeconds: number;
  /** How long the rooms' histories may take to hold every acknowledged seq, and to be read back. */
  historySeconds: number;
  sources: number;
}

export interface ChaosResult {
  clients: number;
  connected: number;
  rooms: number;
  baseline_p99_delivery_ms: number;
  rule: NormalRule;
  windows: WindowVerdict[];
  totals: {
    sent: number;
    acked: number;
    never_acked: number;
    lost: number;
    duplicates: number;
    order_violations: number;
    undelivered: number;
    history_gaps: number;
    redelivered_deduplicated: number;
  };
  /**
   * Whether the history API's read model showed every room's newest acknowledged seq after the
   * drain; if not, the message service was restarted once and it was asked again. (Lost, dup and
   * gaps are judged on the event store.)
   */
  read_model_check: {
    caught_up: boolean;
    caught_up_without_restart: boolean;
    errors_before_restart: string[];
    errors: string[];
  };
  order_violation_examples: OrderViolation[];
  /** Members that, after the drain, still miss acknowledged messages of their room (the first 20). */
  members_behind: ReturnType<typeof membersBehind>;
  errors: Record<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Consecutive sends land in different rooms (room 0, room 1, …, room 0, …). */
const interleave = (rooms: ChaosMember[][]): ChaosMember[] => {
  const senders: ChaosMember[] = [];
  const longest = Math.max(...rooms.map((members) => members.length));
  for (let slot = 0; slot < longest; slot++) {
    for (const members of rooms) if (members[slot]) senders.push(members[slot]!);
  }
  return senders;
};

/** The constant-rate schedule: send n is meant at start + n / rate, until stopped. */
const schedule = (ledger: Ledger, senders: ChaosMember[], roomSizes: Map<string, number>, rate: number) => {
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  let stopped = false;
  let n = 0;
  const done = new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (!stopped && start + n * interval <= now) {
        const sender = senders[n % senders.length]!;
        const id = `c${n}`;
        ledger.sent(id, sender.roomId, sender.index, start + n * interval, roomSizes.get(sender.roomId)!);
        sender.send(id);
        n++;
      }
      if (stopped) return resolve();
      setTimeout(tick, Math.max(0, start + n * interval - performance.now()));
    };
    setTimeout(tick, 20);
  });
  return {
    start,
    stop: () => {
      stopped = true;
      return done.then(() => performance.now());
    },
  };
};

/** A second can be judged once its last send's delivery could have arrived within the threshold. */
const judgeable = (rule: NormalRule) => performance.now() - rule.thresholdMs - 1_000;

/**
 * Watches the load from `from` until it has been normal for `stableSeconds` + `settleSeconds`, or
 * for at most `maxWindowSeconds`; returns the end of the seconds it judged.
 */
const observe = async (ledger: Ledger, from: number, config: ChaosConfig, rule: NormalRule) => {
  for (;;) {
    await sleep(1_000);
    const until = judgeable(rule);
    if (until - from >= config.maxWindowSeconds * 1000) return until;
    const recent = [...ledger.messages.values()].filter((message) => message.intended >= from);
    const back = secondsToNormal(recent, from, until, rule);
    if (back !== null && until - from >= (back + rule.stableSeconds + config.settleSeconds) * 1000)
      return until;
  }
};

/**
 * The whole run: a fleet on the servers of the environment (plus a spare gateway), clients in
 * rooms sending at a constant rate, one fault after another while the load runs, then a drain and
 * the verdicts from the ledger and the rooms' stored histories.
 */
export const runChaos = async (config: ChaosConfig): Promise<ChaosResult> => {
  const resolved = await resolveFleetServers();
  if (!resolved.available) throw new Error(`the fleet cannot run here: ${resolved.reason}`);
  const faults: Fault[] = faultsNamed(config.faults.split(',').filter(Boolean));
  const fleet = await startFleet(resolved.servers, BENCH_FLEET_ENV, { gateways: 1 });
  let gateway: SpareGateway | null = null;
  const members: ChaosMember[] = [];
  try {
    gateway = await SpareGateway.start(fleet);
    const wsUrls = [...fleet.gatewayWsUrls, gateway.wsUrl];
    const roomCount = Math.ceil(config.clients / config.roomSize);
    const owners = new Map<string, string>();
    await inPool(
      Array.from({ length: roomCount }, (_, room) => room),
      4,
      async (room) => {
        const owner = `u${room * config.roomSize}`;
        owners.set(await createRoomOverRest(fleet.apiUrl, owner, `chaos-${room}`), owner);
      },
    );
    const roomIds = [...owners.keys()];
    const ledger = new Ledger();
    const errors = new ErrorCounts();
    const userIds = Array.from({ length: config.clients }, (_, index) => `u${index}`);
    const tokens = await tokensFor(userIds);
    const options = {
      wire: nativeWire,
      wsUrls,
      sources: config.sources,
      answerTimeoutMs: config.answerTimeoutSeconds * 1000,
      maxAttempts: config.maxAttempts,
      retryDelayMs: 1_000,
    };
    const roomOfOwner = new Map([...owners].map(([roomId, owner]) => [owner, roomId]));
    for (const [index, userId] of userIds.entries()) {
      const roomId = roomOfOwner.get(`u${index - (index % config.roomSize)}`)!;
      members.push(new ChaosMember(index, userId, tokens[index]!, roomId, ledger, errors, options));
    }
    progress(
      `chaos: ${roomIds.length} rooms; connecting ${members.length} clients over ${wsUrls.length} gateways`,
    );
    await inPool(members, 50, (member) => member.connect());
    const rooms = roomIds.map((roomId) => members.filter((member) => member.roomId === roomId));
    const roomSizes = new Map(roomIds.map((roomId, index) => [roomId, rooms[index]!.length]));
    const load = schedule(ledger, interleave(rooms), roomSizes, config.rate);
    progress(`chaos: ${config.rate} msg/s; baseline ${config.baselineSeconds} s`);

    await sleep(config.warmupSeconds * 1000);
    const warm = load.start + config.warmupSeconds * 1000;
    const windows: Window[] = [
      {
        fault: 'warm-up (no fault)',
        from: load.start,
        until: warm,
        faultAt: null,
        repairedAt: 0,
        judgedUntil: warm,
      },
    ];
    const baselineEnd = warm + config.baselineSeconds * 1000;
    let open: Omit<Window, 'until'> = {
      fault: 'baseline (no fault)',
      from: warm,
      faultAt: null,
      repairedAt: 0,
      judgedUntil: baselineEnd,
    };
    await sleep(config.baselineSeconds * 1000 + 2_000);
    const baselineP99 = p99DeliveryMs([...ledger.messages.values()], warm, baselineEnd);
    const rule: NormalRule = {
      thresholdMs: Math.max(config.thresholdMs, Math.round(config.thresholdFactor * baselineP99)),
      stableSeconds: config.stableSeconds,
    };
    progress(
      `chaos: baseline p99 delivery ${Math.round(baselineP99)} ms; normal means p99 ≤ ${rule.thresholdMs} ms`,
    );
    for (const fault of faults) {
      progress(`chaos: ${fault.name}`);
      const times = await fault.inject({ fleet, gateway });
      windows.push({ ...open, until: times.faultAt });
      progress(
        `chaos: ${fault.name}: repaired after ${Math.round(times.repairedAt - times.faultAt) / 1000} s`,
      );
      const judgedUntil = await observe(ledger, times.faultAt, config, rule);
      const back = secondsToNormal([...ledger.messages.values()], times.faultAt, judgedUntil, rule);
      progress(
        `chaos: ${fault.name}: back to normal ${back === null ? 'not within the window' : `after ${back} s`}`,
      );
      open = { fault: fault.name, from: times.faultAt, ...times, judgedUntil };
    }
    windows.push({ ...open, until: await load.stop() });
    progress(`chaos: load stopped; draining (at most ${config.drainSeconds} s)`);
    await drain(members, ledger, config.drainSeconds * 1000);
    const histories = await storedHistories(fleet, roomIds);
    const first = await readModelCaughtUp(fleet, owners, ledger, config.historySeconds * 1000);
    let read = first;
    if (!first.caughtUp) {
      // A read model that stays behind (or unreadable) is a finding of its own; restarting its
      // service once tells a stalled projection from a slow one: it then replays from the event store.
      progress(
        `chaos: read model behind or unreadable (${first.errors.join('; ')}); restarting the message service`,
      );
      await fleet.restartService('message', 'SIGTERM');
      read = await readModelCaughtUp(fleet, owners, ledger, config.historySeconds * 1000);
    }
    const verdicts = windows.map((window) => judgeWindow(ledger, histories, window, rule));
    const sum = (
      key: 'sent' | 'acked' | 'never_acked' | 'lost' | 'duplicates' | 'order_violations' | 'undelivered',
    ) => verdicts.reduce((total, verdict) => total + verdict[key], 0);
    return {
      clients: config.clients,
      connected: members.filter((member) => member.connected).length,
      rooms: roomIds.length,
      baseline_p99_delivery_ms: Math.round(baselineP99),
      rule,
      windows: verdicts,
      totals: {
        sent: sum('sent'),
        acked: sum('acked'),
        never_acked: sum('never_acked'),
        lost: sum('lost'),
        duplicates: sum('duplicates'),
        order_violations: ledger.orderViolations.length,
        undelivered: sum('undelivered'),
        history_gaps: historyGaps(histories),
        redelivered_deduplicated: ledger.redelivered,
      },
      read_model_check: {
        caught_up: read.caughtUp,
        caught_up_without_restart: first.caughtUp,
        errors_before_restart: first.errors,
        errors: read.errors,
      },
      order_violation_examples: ledger.orderViolations.slice(0, 10),
      members_behind: membersBehind(members, ledger),
      errors: errors.toJSON(),
    };
  } finally {
    for (const member of members) member.stop();
    // Each step runs even when one before it failed: no process or stopped server is left behind.
    await gateway?.stop().catch((error: unknown) => progress(`chaos: stopping the spare gateway: ${error}`));
    // Whatever happened, the servers a fault touched are up again for whoever runs next.
    await restoreServers(faults).finally(() => fleet.stop());
  }
};
