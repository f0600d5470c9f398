export { createGateway, type Gateway, type GatewayDeps } from './gateway';
export { InMemoryConnectionRegistry, type ConnectionRegistry } from './sessions/connection-registry';
