import {
  defaultCapabilities,
  defaultLifetime,
  emptyPskIndex,
  generateKeyPackage,
  joinGroup,
  type CiphersuiteImpl,
  type ClientState,
  type Welcome,
} from 'ts-mls';
import type { ChatClient } from '../chat-client';
import {
  decodeOwnKeyPackage,
  encodeOwnKeyPackage,
  keyPackageMessage,
  toBase64,
  utf8,
  type OwnKeyPackage,
} from './codec';
import type { MlsKeyStore } from './key-store';

const ONE_USE = 'key-package/';
const LAST_RESORT = 'last-resort-key-package/';

interface DeviceCount {
  device_id: string;
  available: number;
  last_resort: boolean;
}

/**
 * One device's KeyPackages (RFC 9420 §10): made here, their private keys kept in the store, the
 * public halves published to the directory; a Welcome is joined with the one it was made for.
 * A one-use package's keys are deleted once used; the last-resort one's are kept, since the
 * directory hands it out again and again.
 */
export class DeviceKeyPackages {
  constructor(
    private readonly client: ChatClient,
    private readonly store: MlsKeyStore,
    private readonly cs: CiphersuiteImpl,
    private readonly userId: string,
    private readonly deviceId: string,
    private readonly target: number,
  ) {}

  /** Publishes packages until the device has `target` of them, and a last-resort one. */
  async topUp(): Promise<void> {
    const { devices } = await this.client.request<{ devices: DeviceCount[] }>('GET', '/api/mls/key-packages');
    const mine = devices.find((device) => device.device_id === this.deviceId);
    const missing = Math.max(this.target - (mine?.available ?? 0), 0);
    if (missing === 0 && mine?.last_resort) return;
    const fresh = await Promise.all(Array.from({ length: missing }, () => this.make(ONE_USE)));
    const lastResort = mine?.last_resort ? undefined : await this.make(LAST_RESORT);
    await this.client.request('POST', '/api/mls/key-packages', {
      device_id: this.deviceId,
      key_packages: fresh.map((own) => keyPackageMessage(own.publicPackage)),
      ...(lastResort ? { last_resort: keyPackageMessage(lastResort.publicPackage) } : {}),
    });
  }

  /** A KeyPackage of this user, kept nowhere: for a group this client founds. */
  fresh(): Promise<OwnKeyPackage> {
    const credential = { credentialType: 'basic' as const, identity: utf8.encode(this.userId) };
    return generateKeyPackage(credential, defaultCapabilities(), defaultLifetime, [], this.cs);
  }

  /** The group a Welcome admits this device to, or undefined if it was made for none of its packages. */
  async join(welcome: Welcome): Promise<ClientState | undefined> {
    const keys = [...(await this.store.keys(ONE_USE)), ...(await this.store.keys(LAST_RESORT))];
    for (const key of keys) {
      const own = decodeOwnKeyPackage((await this.store.get(key))!);
      const state = await joinGroup(
        welcome,
        own.publicPackage,
        own.privatePackage,
        emptyPskIndex,
        this.cs,
      ).catch(() => undefined);
      if (!state) continue;
      if (key.startsWith(ONE_USE)) await this.store.delete(key);
      return state;
    }
    return undefined;
  }

  private async make(prefix: string): Promise<OwnKeyPackage> {
    const own = await this.fresh();
    if (prefix === LAST_RESORT)
      for (const key of await this.store.keys(LAST_RESORT)) await this.store.delete(key);
    await this.store.set(`${prefix}${toBase64(own.publicPackage.initKey)}`, encodeOwnKeyPackage(own));
    return own;
  }
}
