import type { ContentCipher } from '@chat/privacy';
import type { Bus } from '@chat/bus';
import type { MediaOutcome } from '@chat/contracts';
import type { RoomAccessView } from '@chat/room-access';
import type { Authenticator, LocalRateLimiter, Logger, RateLimiter, Settings } from '@chat/runtime';
import type { PendingCommands } from './commands/pending-commands';
import type { RoomFanout } from './fanout/room-fanout';
import type { GatewayMetrics } from './metrics';
import type { PresenceSignals } from './presence/presence-signals';
import type { TypingIndicators } from './presence/typing-indicators';
import type { ResumeQueries } from './rooms/resume-queries';
import type { Connection } from './sessions/connection';
import type { ConnectionRegistry } from './sessions/connection-registry';
import type { Outbox } from './sessions/outbox';
import type { AuthFailures } from './sessions/auth-failures';
import type { UnauthenticatedSockets } from './sessions/unauthenticated-sockets';

/** What every frame handler may use: the gateway's parts, assembled once in createGateway. */
export interface GatewayContext {
  instanceId: string;
  bus: Bus;
  access: RoomAccessView;
  authenticator: Authenticator;
  settings: Settings;
  logger: Logger;
  metrics: GatewayMetrics;
  outbox: Outbox;
  fanout: RoomFanout;
  pending: PendingCommands;
  /** Uploads this gateway asked the media service to verify before sharing them. */
  verifications: PendingCommands<MediaOutcome>;
  resumeQueries: ResumeQueries;
  registry: ConnectionRegistry;
  /** Local sockets per user: for per-user fan-out and counting. */
  usersOnline: Map<string, Set<Connection>>;
  /** Users' budgets (`limits/user-limits.ts`): in Redis in the fleet, shared by every gateway. */
  limiter: RateLimiter;
  /** Frames per connection: local by nature. */
  frameLimiter: LocalRateLimiter;
  /** Sockets awaiting `authenticate`, capped per client address. */
  unauthenticated: UnauthenticatedSockets;
  /** Typing signals per user: a budget no one typing reaches, not worth a round trip. */
  typingLimiter: LocalRateLimiter;
  presence: PresenceSignals;
  typing: TypingIndicators;
  /** Failed authentications, summarised per subject per minute for the audit log. */
  authFailures: AuthFailures;
  /** Seals the content of commands; opens the content of events and resume pages for sockets. */
  cipher: ContentCipher;
}
