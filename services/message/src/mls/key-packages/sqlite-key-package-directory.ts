import { openSqliteFile } from '@chat/event-sourcing/sqlite';
import type Database from 'better-sqlite3';
import type { ClaimedPackage, DeviceCount, DevicePackages, KeyPackageDirectory } from './port';

/** `position` orders a device's packages as published; the last-resort one has `last_resort = 1`. */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS key_packages (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    package_id TEXT NOT NULL,
    key_package TEXT NOT NULL,
    last_resort INTEGER NOT NULL,
    UNIQUE (user_id, device_id, package_id)
  );
  CREATE INDEX IF NOT EXISTS key_packages_by_device ON key_packages (user_id, device_id, last_resort, position);
`;

interface PackageRow {
  position: number;
  device_id: string;
  key_package: string;
  last_resort: 0 | 1;
}

/** The embedded KeyPackage directory: a SQLite file; a claim is one transaction. */
export class SqliteKeyPackageDirectory implements KeyPackageDirectory {
  private readonly statements;

  private constructor(private readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.statements = {
      insert: db.prepare(`
        INSERT OR IGNORE INTO key_packages (user_id, device_id, package_id, key_package, last_resort)
        VALUES (@user_id, @device_id, @package_id, @key_package, @last_resort)`),
      dropLastResort: db.prepare(
        'DELETE FROM key_packages WHERE user_id = @user_id AND device_id = @device_id AND last_resort = 1',
      ),
      devices: db.prepare('SELECT DISTINCT device_id FROM key_packages WHERE user_id = ? ORDER BY device_id'),
      oldest: db.prepare(`
        SELECT position, device_id, key_package, last_resort FROM key_packages
        WHERE user_id = ? AND device_id = ? ORDER BY last_resort, position LIMIT 1`),
      consume: db.prepare('DELETE FROM key_packages WHERE position = ?'),
      counts: db.prepare(`
        SELECT device_id, SUM(1 - last_resort) AS available, MAX(last_resort) AS last_resort
        FROM key_packages WHERE user_id = ? GROUP BY device_id ORDER BY device_id`),
    };
  }

  static open(path: string): SqliteKeyPackageDirectory {
    return new SqliteKeyPackageDirectory(openSqliteFile(path));
  }

  async publish({ user_id, device_id, packages, last_resort }: DevicePackages): Promise<void> {
    this.db.transaction(() => {
      for (const { package_id, key_package } of packages) {
        this.statements.insert.run({ user_id, device_id, package_id, key_package, last_resort: 0 });
      }
      if (last_resort) {
        this.statements.dropLastResort.run({ user_id, device_id });
        this.statements.insert.run({ user_id, device_id, ...last_resort, last_resort: 1 });
      }
    })();
  }

  async claim(userId: string): Promise<ClaimedPackage[]> {
    return this.db.transaction(() => {
      const devices = this.statements.devices.all(userId) as { device_id: string }[];
      return devices.flatMap(({ device_id }) => {
        const row = this.statements.oldest.get(userId, device_id) as PackageRow | undefined;
        if (!row) return [];
        if (row.last_resort === 0) this.statements.consume.run(row.position);
        return [{ device_id, key_package: row.key_package, last_resort: row.last_resort === 1 }];
      });
    })();
  }

  async counts(userId: string): Promise<DeviceCount[]> {
    const rows = this.statements.counts.all(userId) as {
      device_id: string;
      available: number;
      last_resort: 0 | 1;
    }[];
    return rows.map((row) => ({ ...row, last_resort: row.last_resort === 1 }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
