import { InMemoryRateLimiter } from './rate-limiter';
import { rateLimiterConformance } from './rate-limiter.conformance';

rateLimiterConformance('in memory', async () => new InMemoryRateLimiter());
