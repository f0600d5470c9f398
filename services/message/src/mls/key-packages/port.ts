import type { StoredKeyPackage } from './key-package';

/** One device's published KeyPackages. */
export interface DevicePackages {
  user_id: string;
  device_id: string;
  /** Consumed once each, oldest first. */
  packages: StoredKeyPackage[];
  /** Replaces the device's last-resort KeyPackage, which is never consumed. */
  last_resort?: StoredKeyPackage;
}

export interface DeviceCount {
  device_id: string;
  available: number;
  last_resort: boolean;
}

export interface ClaimedPackage {
  device_id: string;
  key_package: string;
  last_resort: boolean;
}

/**
 * The MLS KeyPackage directory (RFC 9420 §16.8). Adapters (SQLite embedded, MongoDB in the fleet)
 * pass the one suite in `conformance.ts`.
 */
export interface KeyPackageDirectory {
  /** Adds the device's packages; one published before (same id) is not added twice. */
  publish(batch: DevicePackages): Promise<void>;
  /**
   * One package per device of the user, by device id: the oldest not yet claimed, which nobody is
   * given again — concurrent claims never get the same one — else the device's last-resort one.
   * A device with neither is left out.
   */
  claim(userId: string): Promise<ClaimedPackage[]>;
  /**
   * Per device of the user with any package left, by device id: how many, and whether a last-resort
   * one is there.
   */
  counts(userId: string): Promise<DeviceCount[]>;
  close(): Promise<void>;
}
