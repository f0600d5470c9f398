import type { Stall } from '../port';
import type { PartitionWorker, WorkerMember } from './partition-worker';

export interface GroupMember extends WorkerMember {
  readonly topics: readonly string[];
}

export type StartWorker = (
  member: GroupMember,
  topic: string,
  partition: number,
  previousOwnerStopped: Promise<void>,
) => PartitionWorker;

interface Assignment {
  member: GroupMember;
  topic: string;
  partition: number;
}

interface Group {
  members: GroupMember[];
  /** The latest worker of each partition, running or stopping: the next owner starts after it. */
  workers: Map<string, { member: GroupMember; worker: PartitionWorker }>;
}

const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The group coordinator for the consumers of one bus instance: splits each group's partitions
 * among its members, the least loaded member first, and rebalances when one joins or leaves.
 */
export class LocalGroups {
  private readonly groups = new Map<string, Group>();
  private readonly departures = new Map<GroupMember, Promise<void>>();

  constructor(
    private readonly partitionCount: (topic: string) => number,
    private readonly startWorker: StartWorker,
  ) {}

  join(member: GroupMember): void {
    const group: Group = this.groups.get(member.groupId) ?? { members: [], workers: new Map() };
    this.groups.set(member.groupId, group);
    group.members.push(member);
    this.rebalance(group);
  }

  /** Hands the member's partitions to the others; resolves once its workers have stopped. */
  leave(member: GroupMember): Promise<void> {
    let departure = this.departures.get(member);
    if (!departure) {
      departure = this.depart(member).finally(() => this.departures.delete(member));
      this.departures.set(member, departure);
    }
    return departure;
  }

  /** The partitions of every group whose batch has been in its handler for `thresholdMs` or more. */
  stalls(thresholdMs: number): Stall[] {
    return [...this.groups.values()].flatMap((group) =>
      [...group.workers.values()].flatMap(({ worker }) => worker.stall(thresholdMs) ?? []),
    );
  }

  /** Every member leaves; resolves once no worker of this instance is running. */
  async leaveAll(): Promise<void> {
    const members = [...this.groups.values()].flatMap((group) => group.members);
    await Promise.all([...members.map((member) => this.leave(member)), ...this.departures.values()]);
  }

  private async depart(member: GroupMember): Promise<void> {
    const group = this.groups.get(member.groupId);
    if (!group) return;
    const own = [...group.workers.values()].filter((owned) => owned.member === member);
    group.members = group.members.filter((m) => m !== member);
    this.rebalance(group);
    await Promise.all(own.map(({ worker }) => worker.stopped));
  }

  private rebalance(group: Group): void {
    const plan = this.assign(group.members);
    for (const [id, owned] of group.workers) {
      if (!owned.worker.revoked && plan.get(id)?.member !== owned.member) owned.worker.revoke();
    }
    for (const [id, { member, topic, partition }] of plan) {
      const latest = group.workers.get(id);
      if (latest && !latest.worker.revoked && latest.member === member) continue;
      const worker = this.startWorker(member, topic, partition, latest?.worker.stopped ?? Promise.resolve());
      group.workers.set(id, { member, worker });
    }
  }

  private assign(members: GroupMember[]): Map<string, Assignment> {
    const plan = new Map<string, Assignment>();
    const load = new Map(members.map((member) => [member, 0]));
    const topics = [...new Set(members.flatMap((member) => member.topics))].sort();
    for (const topic of topics) {
      const subscribers = members.filter((member) => member.topics.includes(topic));
      for (let partition = 0; partition < this.partitionCount(topic); partition++) {
        const member = subscribers.reduce((least, m) => (load.get(m)! < load.get(least)! ? m : least));
        load.set(member, load.get(member)! + 1);
        plan.set(partitionId(topic, partition), { member, topic, partition });
      }
    }
    return plan;
  }
}
