import { startUwsTarget, startSocketIoTarget } from './baselines';
import { startCentrifugoTarget } from './centrifugo';
import { startEmbeddedTarget, type EmbeddedTargetOptions } from './embedded';
import { startFleetTarget } from './fleet';
import type { Target, TargetName } from './target';

export interface StartOptions {
  embedded?: EmbeddedTargetOptions;
  gateways?: number;
}

/** Starts a target's server side and waits until it takes connections. */
export const startTarget = (name: TargetName, options: StartOptions = {}): Promise<Target> => {
  switch (name) {
    case 'embedded':
      return startEmbeddedTarget(options.embedded);
    case 'fleet':
      return startFleetTarget({ gateways: options.gateways });
    case 'uws':
      return startUwsTarget();
    case 'socketio':
      return startSocketIoTarget();
    case 'centrifugo':
      return startCentrifugoTarget();
  }
};

export { TARGET_NAMES, type Target, type TargetName } from './target';
