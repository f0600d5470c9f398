import { closeAll, connectClients, inPool } from '../load/connect';
import type { BenchClient } from '../load/client';
import { ErrorCounts, PerSecond } from '../measure/counters';
import { LatencyHistogram, type LatencySummary } from '../measure/histogram';
import { CpuMeter, cpuOf, ownCpuSeconds } from '../measure/proc';
import { progress } from '../print';
import type { Target } from '../targets/target';
import type { Frame } from '../wire/wire';

/** Rooms of members sending at a constant total rate, stepped up until latency gives way. */
export interface TrafficConfig {
  connections: number;
  roomSize: number;
  /** Offered load, in messages per second over all senders, one step each. */
  rates: number[];
  stepSeconds: number;
  /** How long after a step's last send its acks and deliveries may still arrive. */
  drainSeconds: number;
  /** Stepping stops after the first step whose p99 send→delivery latency passes this. */
  thresholdMs: number;
  contentBytes: number;
  /** Loopback source addresses the connections are spread over. */
  sources: number;
  /** The whole run (setup and steps) stays within this. */
  budgetSeconds: number;
  /**
   * The highest rate one connection sends at. The gateway allows 200 frames per 10 s per
   * connection (not configurable), so steps that would need more per sender are not run.
   */
  maxPerSenderRate: number;
}

export interface StepResult {
  rate: number;
  seconds: number;
  sent: number;
  acked: number;
  rejected: number;
  missing_acks: number;
  expected_deliveries: number;
  delivered: number;
  missing_deliveries: number;
  /** Frames of messages of an earlier step that arrived after its drain. */
  late_frames: number;
  delivered_per_s: { mean: number; max: number; timeline: number[] };
  /** From the moment the schedule meant the send to happen (coordinated omission corrected). */
  ack_ms: LatencySummary;
  delivery_ms: LatencySummary;
  /** How late the generator actually sent: its own health. */
  send_lag_ms: LatencySummary;
  server_cpu_pct: number;
  generator_cpu_pct: number;
  errors: Record<string, number>;
  within_threshold: boolean;
}

/**
 * The rate of the warm-up before the steps, in which every sender sends one message, and how long
 * its answers may take: a sender's first message of the day is the one that creates its data key
 * in the key store and loads its room, a cost paid once per (room, sender, day), not per message.
 */
const WARM_UP_RATE = 100;
const WARM_UP_DRAIN_SECONDS = 30;

export interface TrafficResult {
  connected: number;
  rooms: number;
  room_size: number;
  /** The warm-up (not a step): each sender's first message, answered how fast. */
  warm_up: {
    seconds: number;
    sent: number;
    acked: number;
    p99_ack_ms: number;
    errors: Record<string, number>;
  };
  senders: number;
  setup_s: number;
  setup_errors: Record<string, number>;
  steps: StepResult[];
  stopped_because: string;
  /** The highest offered rate whose p99 delivery stayed within the threshold with nothing lost. */
  max_rate_within_threshold: number | null;
  delivered_per_s_at_max_rate: number | null;
}

interface InFlight {
  intended: number;
  remaining: number;
  acked: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Members of room r are connections r·size … r·size+size-1; the first one owns the room. */
const planRooms = async (target: Target, config: TrafficConfig, runId: string): Promise<string[]> => {
  const count = Math.ceil(config.connections / config.roomSize);
  const ids: string[] = new Array(count);
  await inPool(
    Array.from({ length: count }, (_, room) => room),
    4,
    async (room) => {
      ids[room] = await target.createRoom(`u${room * config.roomSize}`, `bench-${runId}-${room}`);
    },
  );
  return ids;
};

/**
 * Senders interleave rooms (room 0, room 1, …, room 0, …) so consecutive sends of the
 * constant-rate schedule land in different rooms.
 */
const interleave = (rooms: BenchClient[][]): BenchClient[] => {
  const senders: BenchClient[] = [];
  const longest = Math.max(...rooms.map((members) => members.length));
  for (let slot = 0; slot < longest; slot++) {
    for (const members of rooms) if (members[slot]) senders.push(members[slot]!);
  }
  return senders;
};

const runStep = async (
  target: Target,
  step: number,
  rate: number,
  config: TrafficConfig,
  senders: BenchClient[],
  clients: BenchClient[],
  roomOf: Map<BenchClient, { id: string; size: number }>,
): Promise<StepResult> => {
  const inFlight = new Map<string, InFlight>();
  const ack = new LatencyHistogram();
  const delivery = new LatencyHistogram();
  const lag = new LatencyHistogram();
  const errors = new ErrorCounts();
  const counts = { sent: 0, acked: 0, rejected: 0, delivered: 0, expected: 0, late: 0 };
  const content = 'x'.repeat(config.contentBytes);
  const total = Math.round(rate * config.stepSeconds);
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const perSecond = new PerSecond(start);

  const onFrame = (frame: Frame, now: number) => {
    switch (frame.type) {
      case 'message': {
        const entry = inFlight.get(frame.client_msg_id as string);
        if (!entry) return void counts.late++;
        delivery.recordMs(now - entry.intended);
        perSecond.add(now);
        counts.delivered++;
        if (--entry.remaining <= 0 && entry.acked) inFlight.delete(frame.client_msg_id as string);
        return;
      }
      case 'ack': {
        const entry = inFlight.get(frame.client_msg_id as string);
        if (!entry || entry.acked) return void counts.late++;
        ack.recordMs(now - entry.intended);
        entry.acked = true;
        counts.acked++;
        if (entry.remaining <= 0) inFlight.delete(frame.client_msg_id as string);
        return;
      }
      case 'error': {
        errors.add(String(frame.code));
        const entry = inFlight.get(frame.ref as string);
        if (entry) {
          counts.rejected++;
          counts.expected -= entry.remaining;
          inFlight.delete(frame.ref as string);
        }
        return;
      }
      default:
        return;
    }
  };
  for (const client of clients) client.onFrame = onFrame;

  const serverCpu = new CpuMeter(cpuOf(target.serverPids()));
  const generatorCpu = new CpuMeter(ownCpuSeconds);
  await new Promise<void>((resolve) => {
    let n = 0;
    const tick = () => {
      const now = performance.now();
      while (n < total && start + n * interval <= now) {
        const intended = start + n * interval;
        const sender = senders[n % senders.length]!;
        const id = `${step}.${n}`;
        n++;
        if (sender.closed) {
          errors.add('sender_closed');
          continue;
        }
        const room = roomOf.get(sender)!;
        inFlight.set(id, { intended, remaining: room.size, acked: false });
        counts.expected += room.size;
        counts.sent++;
        lag.recordMs(now - intended);
        sender.send({ type: 'send_message', room_id: room.id, content, client_msg_id: id });
      }
      if (n >= total) return resolve();
      setTimeout(tick, Math.max(0, start + n * interval - performance.now()));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  const drainUntil = performance.now() + config.drainSeconds * 1000;
  while (inFlight.size > 0 && performance.now() < drainUntil) await sleep(10);
  const server_cpu_pct = serverCpu.percent();
  const generator_cpu_pct = generatorCpu.percent();

  let missingAcks = 0;
  let missingDeliveries = 0;
  for (const entry of inFlight.values()) {
    if (!entry.acked) missingAcks++;
    missingDeliveries += entry.remaining;
  }
  if (missingAcks > 0) errors.add('ack_missing', missingAcks);
  if (missingDeliveries > 0) errors.add('delivery_missing', missingDeliveries);
  const timeline = perSecond.timeline(Math.ceil(config.stepSeconds + config.drainSeconds));
  const inWindow = timeline.slice(0, config.stepSeconds).reduce((sum, count) => sum + count, 0);
  const deliverySummary = delivery.summary();
  const lost = missingAcks + missingDeliveries;
  return {
    rate,
    seconds: config.stepSeconds,
    sent: counts.sent,
    acked: counts.acked,
    rejected: counts.rejected,
    missing_acks: missingAcks,
    expected_deliveries: counts.expected,
    delivered: counts.delivered,
    missing_deliveries: missingDeliveries,
    late_frames: counts.late,
    delivered_per_s: {
      mean: Math.round(inWindow / config.stepSeconds),
      max: Math.max(0, ...timeline),
      timeline,
    },
    ack_ms: ack.summary(),
    delivery_ms: deliverySummary,
    send_lag_ms: lag.summary(),
    server_cpu_pct,
    generator_cpu_pct,
    errors: errors.toJSON(),
    within_threshold:
      counts.sent > 0 &&
      deliverySummary.p99 <= config.thresholdMs &&
      lost <= 0.01 * (counts.sent + counts.expected) &&
      counts.rejected === 0,
  };
};

/** Sets up rooms and connections, then runs the steps; always closes what it opened. */
export const runTraffic = async (target: Target, config: TrafficConfig): Promise<TrafficResult> => {
  const began = performance.now();
  const runId = crypto.randomUUID().slice(0, 6);
  const setupErrors = new ErrorCounts();
  const roomIds = await planRooms(target, config, runId);
  progress(`${target.name}: ${roomIds.length} rooms; connecting ${config.connections} clients`);
  const clients = await connectClients(target, config.connections, {
    concurrency: 100,
    sources: config.sources,
    timeoutMs: 30_000,
    errors: setupErrors,
  });
  try {
    const rooms: BenchClient[][] = roomIds.map(() => []);
    await inPool(clients, 50, async (client) => {
      const room = Math.floor(client.index / config.roomSize);
      try {
        await client.join(roomIds[room]!);
        rooms[room]!.push(client);
      } catch {
        client.close();
      }
    });
    const roomOf = new Map<BenchClient, { id: string; size: number }>();
    rooms.forEach((members, room) => {
      for (const member of members) roomOf.set(member, { id: roomIds[room]!, size: members.length });
    });
    const joined = [...roomOf.keys()];
    const senders = interleave(rooms);
    progress(`${target.name}: ${joined.length} clients in ${roomIds.length} rooms`);
    if (senders.length === 0) throw new Error(`no client could join: ${JSON.stringify(setupErrors)}`);
    await sleep(1_000);
    const setup_s = Math.round((performance.now() - began) / 100) / 10;
    const warmUpStarted = performance.now();
    const warmUpStep = await runStep(
      target,
      -1,
      WARM_UP_RATE,
      { ...config, stepSeconds: senders.length / WARM_UP_RATE, drainSeconds: WARM_UP_DRAIN_SECONDS },
      senders,
      joined,
      roomOf,
    );
    const warm_up = {
      seconds: Math.round((performance.now() - warmUpStarted) / 100) / 10,
      sent: warmUpStep.sent,
      acked: warmUpStep.acked,
      p99_ack_ms: warmUpStep.ack_ms.p99,
      errors: warmUpStep.errors,
    };
    progress(
      `${target.name}: warm-up, one message per sender: ${warm_up.acked}/${warm_up.sent} acked, ` +
        `p99 ack ${warm_up.p99_ack_ms} ms, ${warm_up.seconds} s`,
    );

    const steps: StepResult[] = [];
    let stopped_because = 'all_steps';
    for (const [index, rate] of config.rates.entries()) {
      const elapsed = (performance.now() - began) / 1000;
      if (elapsed + config.stepSeconds + config.drainSeconds > config.budgetSeconds) {
        stopped_because = 'budget';
        break;
      }
      if (rate / senders.length > config.maxPerSenderRate) {
        stopped_because = 'per_connection_rate_cap';
        break;
      }
      const step = await runStep(target, index, rate, config, senders, joined, roomOf);
      steps.push(step);
      progress(
        `${target.name}: ${rate} msg/s → ${step.delivered_per_s.mean} deliveries/s, ` +
          `p99 ack ${step.ack_ms.p99} ms, p99 delivery ${step.delivery_ms.p99} ms, ` +
          `server CPU ${step.server_cpu_pct}%, generator CPU ${step.generator_cpu_pct}%`,
      );
      if (!step.within_threshold) {
        stopped_because = step.delivery_ms.p99 > config.thresholdMs ? 'threshold' : 'lost_or_rejected';
        break;
      }
      await sleep(500);
    }
    const best = [...steps].reverse().find((step) => step.within_threshold) ?? null;
    return {
      connected: joined.length,
      rooms: roomIds.length,
      room_size: config.roomSize,
      senders: senders.length,
      setup_s,
      setup_errors: setupErrors.toJSON(),
      warm_up,
      steps,
      stopped_because,
      max_rate_within_threshold: best?.rate ?? null,
      delivered_per_s_at_max_rate: best?.delivered_per_s.mean ?? null,
    };
  } finally {
    closeAll(clients);
  }
};
