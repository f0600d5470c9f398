export {
  launchFleet,
  mongoDatabaseOf,
  namespaceEnv,
  runDirOf,
  type FleetOptions,
  type LaunchedFleet,
} from './launch';
export { FLEET_SERVICES, GATEWAY } from './topology';
export type { RecordedProcess } from './state';
