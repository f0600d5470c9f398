import type { Bus, OutgoingRecord } from '@chat/bus';
import { Topics, type PresenceSignal, type PresenceStatus } from '@chat/contracts';
import type { Logger, Settings } from '@chat/runtime';
import type { Connection } from '../sessions/connection';

/**
 * How often the gateway announces its live connections: as often as clients are asked to ping,
 * and at least three times per offline threshold, so a lost round never takes anyone offline.
 */
export const heartbeatEveryMs = (settings: Settings): number =>
  Math.min(
    settings.websocket.heartbeat_interval * 1_000,
    (settings.presence.offline_threshold_minutes * 60_000) / 3,
  );

type ConnectionSignalType = Exclude<PresenceSignal['type'], 'expiry_due' | 'status_set' | 'room_joined'>;

/**
 * The connection lifecycle, told to the presence service on `presence.signals`, keyed by user id.
 * Opened, heartbeat and closed are sent without waiting: one that is lost is made good by the next
 * heartbeat round, or by the offline threshold. The presence service never hears of connections
 * that did not authenticate.
 */
export class PresenceSignals {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly bus: Bus,
    private readonly gateway: string,
    private readonly logger: Logger,
  ) {}

  opened(connection: Connection): void {
    this.send([this.record(connection, 'connection_opened')]);
  }

  closed(connection: Connection): void {
    this.send([this.record(connection, 'connection_closed')]);
  }

  /** A join accepted: the room is told the user's status, and this connection the room's. */
  roomJoined(connection: Connection, roomId: string): void {
    const signal: PresenceSignal = { ...this.fields(connection), type: 'room_joined', room_id: roomId };
    this.send([{ key: signal.user_id, value: JSON.stringify(signal) }]);
  }

  /** `presence_update`: awaited, so that a failure reaches the client as an error. */
  async statusSet(connection: Connection, status: PresenceStatus): Promise<void> {
    const signal: PresenceSignal = { ...this.fields(connection), type: 'status_set', status };
    await this.bus.publish(Topics.presenceSignals, [{ key: signal.user_id, value: JSON.stringify(signal) }]);
  }

  /**
   * One heartbeat round: announces the connections heard from since the last round and pings
   * every connection, so a live client's pong gets it announced in the next one. A client that
   * neither sends nor answers stops being announced, and goes offline after the threshold.
   */
  heartbeat(connections: Iterable<Connection>): void {
    const alive: OutgoingRecord[] = [];
    for (const connection of connections) {
      if (!connection.principal || connection.closed) continue;
      if (connection.heard) alive.push(this.record(connection, 'connection_heartbeat'));
      connection.heard = false;
      connection.ws?.ping();
    }
    if (alive.length > 0) this.send(alive);
  }

  /** Resolves once every signal sent so far was published (or failed): before the bus closes. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  private fields(connection: Connection) {
    return {
      user_id: connection.principal!.userId,
      connection_id: connection.id,
      gateway: this.gateway,
      at: new Date().toISOString(),
    };
  }

  private record(connection: Connection, type: ConnectionSignalType): OutgoingRecord {
    const signal: PresenceSignal = { ...this.fields(connection), type };
    return { key: signal.user_id, value: JSON.stringify(signal) };
  }

  private send(records: OutgoingRecord[]): void {
    const sent = this.bus
      .publish(Topics.presenceSignals, records)
      .catch((error: unknown) =>
        this.logger.warn({ err: error, signals: records.length }, 'presence signals not published'),
      )
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }
}
