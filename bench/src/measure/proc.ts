import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

/** /proc/loadavg: the 1, 5 and 15 minute load averages, for judging how noisy a run was. */
export const loadAverage = (): [number, number, number] => {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [one!, five!, fifteen!];
};

export interface ProcessMemory {
  /** Resident set size. */
  rss_kib: number;
  /** The anonymous part of it: heaps (V8's and malloc's) and stacks, no mapped files. */
  rss_anon_kib: number;
  /** Peak resident set size. */
  hwm_kib: number;
}

const statusField = (status: string, field: string): number => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
};

/** A process's memory as the kernel sees it (/proc/<pid>/status). */
export const processMemory = (pid: number): ProcessMemory => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rss_kib: statusField(status, 'VmRSS'),
    rss_anon_kib: statusField(status, 'RssAnon'),
    hwm_kib: statusField(status, 'VmHWM'),
  };
};

/** Kernel clock ticks per second (`getconf CLK_TCK`); 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system) a process has used so far (/proc/<pid>/stat). */
export const processCpuSeconds = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
};

/** CPU seconds this (the generator's) process has used so far. */
export const ownCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** CPU use of some processes over an interval, in percent of one core. */
export class CpuMeter {
  private readonly startedAt = performance.now();
  private readonly startSeconds: number;

  constructor(private readonly read: () => number) {
    this.startSeconds = read();
  }

  percent(): number {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    return elapsed > 0 ? Math.round(((this.read() - this.startSeconds) / elapsed) * 1000) / 10 : 0;
  }
}

/** Sums the CPU seconds of several processes; a process that has exited counts what it last had. */
export const cpuOf = (pids: number[]): (() => number) => {
  const last = new Map<number, number>();
  return () => {
    let total = 0;
    for (const pid of pids) {
      try {
        last.set(pid, processCpuSeconds(pid));
      } catch {
        // exited: keep its last reading
      }
      total += last.get(pid) ?? 0;
    }
    return total;
  };
};

const osName = (): string => {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
};

const noFileLimit = (): string => {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
    return match ? `${match[1]} soft / ${match[2]} hard` : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** What the figures were taken on. */
export const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  os: osName(),
  kernel: release(),
  node: process.version,
  open_files_limit: noFileLimit(),
});

/** The hard limit on open files: each process (generator or server) holds one per socket. */
export const hardNoFileLimit = (): number => {
  try {
    const match = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    const value = Number(match?.[1]);
    return Number.isFinite(value) ? value : 1_048_576;
  } catch {
    return 1_048_576;
  }
};

/**
 * The kernel's count of connection attempts a listening socket could not take (its accept queue
 * was full, or SYNs were answered with cookies): machine-wide, from /proc/net/netstat. Read before
 * and after a storm on loopback, the difference is the storm's.
 */
export const listenQueueCounters = (): Record<string, number> => {
  const wanted = ['ListenOverflows', 'ListenDrops', 'SyncookiesSent', 'TCPReqQFullDrop'];
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
    const header = lines.findIndex((line) => line.startsWith('TcpExt:'));
    const names = lines[header]!.split(' ');
    const values = lines[header + 1]!.split(' ');
    return Object.fromEntries(wanted.map((name) => [name, Number(values[names.indexOf(name)] ?? 0)]));
  } catch {
    return {};
  }
};
