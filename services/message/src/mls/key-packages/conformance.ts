import { afterEach, describe, expect, it } from 'vitest';
import type { KeyPackageDirectory } from './port';

const kp = (name: string) => ({
  package_id: `id-${name}`,
  key_package: Buffer.from(name).toString('base64'),
});
const bytesOf = (claimed: { key_package: string }[]) =>
  claimed.map(({ key_package }) => Buffer.from(key_package, 'base64').toString());

/** The one suite every `KeyPackageDirectory` adapter passes; `open` gives a fresh, empty one. */
export const describeKeyPackageDirectory = (name: string, open: () => Promise<KeyPackageDirectory>) => {
  describe(`KeyPackageDirectory conformance: ${name}`, () => {
    let directory: KeyPackageDirectory;
    afterEach(() => directory?.close());

    it('gives out one package per device, oldest first, each once', async () => {
      directory = await open();
      await directory.publish({ user_id: 'bob', device_id: 'phone', packages: [kp('p1'), kp('p2')] });
      await directory.publish({ user_id: 'bob', device_id: 'laptop', packages: [kp('l1')] });
      await directory.publish({ user_id: 'carol', device_id: 'phone', packages: [kp('c1')] });
      expect(await directory.claim('bob')).toEqual([
        { device_id: 'laptop', key_package: kp('l1').key_package, last_resort: false },
        { device_id: 'phone', key_package: kp('p1').key_package, last_resort: false },
      ]);
      expect(bytesOf(await directory.claim('bob'))).toEqual(['p2']);
      expect(await directory.claim('bob')).toEqual([]);
      expect(bytesOf(await directory.claim('carol'))).toEqual(['c1']);
      expect(await directory.claim('nobody')).toEqual([]);
    });

    it('keeps a package published twice once', async () => {
      directory = await open();
      await directory.publish({ user_id: 'bob', device_id: 'phone', packages: [kp('p1'), kp('p1')] });
      await directory.publish({ user_id: 'bob', device_id: 'phone', packages: [kp('p1')] });
      expect(await directory.counts('bob')).toEqual([
        { device_id: 'phone', available: 1, last_resort: false },
      ]);
    });

    it('falls back on the last-resort package, which is never used up and is replaced by the next', async () => {
      directory = await open();
      await directory.publish({
        user_id: 'bob',
        device_id: 'phone',
        packages: [kp('p1')],
        last_resort: kp('lr1'),
      });
      expect(await directory.counts('bob')).toEqual([
        { device_id: 'phone', available: 1, last_resort: true },
      ]);
      expect(bytesOf(await directory.claim('bob'))).toEqual(['p1']);
      expect(await directory.claim('bob')).toEqual([
        { device_id: 'phone', key_package: kp('lr1').key_package, last_resort: true },
      ]);
      expect(bytesOf(await directory.claim('bob'))).toEqual(['lr1']);
      await directory.publish({ user_id: 'bob', device_id: 'phone', packages: [], last_resort: kp('lr2') });
      expect(bytesOf(await directory.claim('bob'))).toEqual(['lr2']);
      expect(await directory.counts('bob')).toEqual([
        { device_id: 'phone', available: 0, last_resort: true },
      ]);
    });

    it('never gives the same package to two concurrent claims', async () => {
      directory = await open();
      const packages = Array.from({ length: 10 }, (_, index) => kp(`p${index}`));
      await directory.publish({ user_id: 'bob', device_id: 'phone', packages });
      const claims = await Promise.all(Array.from({ length: 12 }, () => directory.claim('bob')));
      const given = claims.flatMap(bytesOf);
      expect(given).toHaveLength(10);
      expect(new Set(given).size).toBe(10);
      // A device with nothing left is not listed: its count is 0.
      expect(await directory.counts('bob')).toEqual([]);
    });
  });
};
