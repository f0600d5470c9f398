import { connectMongo, createIndexesOneByOne, insertNew } from '@chat/event-sourcing/mongo';
import type { Collection, Db, MongoClient } from 'mongodb';
import type { ClaimedPackage, DeviceCount, DevicePackages, KeyPackageDirectory } from './port';

const COLLECTION = 'mls_key_packages';
/** How many of a device's oldest packages a claim tries before it looks again. */
const CLAIM_CANDIDATES = 8;

/**
 * `_id`: `[user_id, device_id, package_id]` as JSON, so a package published twice is kept once.
 * `position` orders a device's packages as published (time in microseconds, then the batch's order).
 */
interface PackageDoc {
  _id: string;
  user_id: string;
  device_id: string;
  key_package: string;
  last_resort: boolean;
  position: number;
}

const INDEXES = [
  [
    COLLECTION,
    { name: 'key_packages_by_device', key: { user_id: 1, device_id: 1, last_resort: 1, position: 1 } },
  ],
] as const;

/**
 * The fleet's KeyPackage directory on MongoDB (locally FerretDB). A claim takes each device's
 * package by deleting it: of two concurrent claims, only one deletes it.
 */
export class MongoKeyPackageDirectory implements KeyPackageDirectory {
  private readonly packages: Collection<PackageDoc>;

  private constructor(
    db: Db,
    private readonly client: MongoClient,
  ) {
    this.packages = db.collection(COLLECTION);
  }

  static async open(url: string, options: { database?: string } = {}): Promise<MongoKeyPackageDirectory> {
    return connectMongo(url, options, async (db, client) => {
      await createIndexesOneByOne(db, INDEXES);
      return new MongoKeyPackageDirectory(db, client);
    });
  }

  async publish({ user_id, device_id, packages, last_resort }: DevicePackages): Promise<void> {
    const at = Date.now() * 1000;
    const doc = (
      package_id: string,
      key_package: string,
      lastResort: boolean,
      index: number,
    ): PackageDoc => ({
      _id: JSON.stringify([user_id, device_id, package_id]),
      user_id,
      device_id,
      key_package,
      last_resort: lastResort,
      position: at + index,
    });
    await insertNew(
      this.packages,
      packages.map(({ package_id, key_package }, index) => doc(package_id, key_package, false, index)),
    );
    if (last_resort) {
      const replacement = doc(last_resort.package_id, last_resort.key_package, true, packages.length);
      await this.packages.deleteMany({
        user_id,
        device_id,
        last_resort: true,
        _id: { $ne: replacement._id },
      });
      await insertNew(this.packages, [replacement]);
    }
  }

  async claim(userId: string): Promise<ClaimedPackage[]> {
    const devices = (await this.packages.distinct('device_id', { user_id: userId })).sort();
    const claimed = await Promise.all(
      devices.map(async (device_id): Promise<ClaimedPackage | null> => {
        const found =
          (await this.takeOldest(userId, device_id)) ??
          (await this.packages.findOne({ user_id: userId, device_id, last_resort: true }));
        return found ? { device_id, key_package: found.key_package, last_resort: found.last_resort } : null;
      }),
    );
    return claimed.filter((each): each is ClaimedPackage => each !== null);
  }

  /**
   * The device's oldest package, deleted by this call: the delete that removed it is the claim, so
   * of concurrent claims only one wins each (FerretDB's `findOneAndDelete` is not atomic).
   */
  private async takeOldest(userId: string, deviceId: string): Promise<PackageDoc | null> {
    for (;;) {
      const candidates = await this.packages
        .find({ user_id: userId, device_id: deviceId, last_resort: false })
        .sort({ position: 1 })
        .limit(CLAIM_CANDIDATES)
        .toArray();
      if (candidates.length === 0) return null;
      for (const candidate of candidates) {
        if ((await this.packages.deleteOne({ _id: candidate._id })).deletedCount === 1) return candidate;
      }
    }
  }

  async counts(userId: string): Promise<DeviceCount[]> {
    const docs = await this.packages
      .find({ user_id: userId }, { projection: { _id: 0, device_id: 1, last_resort: 1 } })
      .toArray();
    const byDevice = new Map<string, DeviceCount>();
    for (const { device_id, last_resort } of docs) {
      const count = byDevice.get(device_id) ?? { device_id, available: 0, last_resort: false };
      byDevice.set(device_id, {
        ...count,
        available: count.available + (last_resort ? 0 : 1),
        last_resort: count.last_resort || last_resort,
      });
    }
    return [...byDevice.values()].sort((a, b) => (a.device_id < b.device_id ? -1 : 1));
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
