import type fc from 'fast-check';
import { clusterNodesOf, type ClusterNodes } from '../../targets/cluster.ts';
import type { EdgeModel } from '../model.ts';
import type { EdgeReal } from '../real.ts';

/**
 * EDGE-HA-4: node kills as fault-plan commands, on targets with the `nodes` capability (a
 * cluster behind a load balancer). The model does not change: whatever was acknowledged before
 * the kill must still be served, through the nodes left, exactly as the model says (the check
 * after each command), and nothing partial appears. At least one node is always left running.
 */

function nodesOf(real: EdgeReal): ClusterNodes {
  const nodes = clusterNodesOf(real.t.edge);
  if (!nodes) throw new Error('the target has the nodes capability but its Edge has no nodes');
  return nodes;
}

/** SIGKILL one running node (never the last one). */
export class KillNodeCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  #node: number | undefined;

  constructor(readonly which: number) {}

  check(model: Readonly<EdgeModel>): boolean {
    return model.nodeCount > 1 && model.downNodes.size < model.nodeCount - 1;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const up = Array.from({ length: model.nodeCount }, (_, i) => i).filter((i) => !model.downNodes.has(i));
    this.#node = up[this.which % up.length] as number;
    await nodesOf(real).killNode(this.#node);
    model.downNodes.add(this.#node);
  }

  toString(): string {
    return `kill node ${this.#node ?? `#${this.which}`}`;
  }
}

/** Starts a killed node again on its data; it must serve what the others do. */
export class StartNodeCommand implements fc.AsyncCommand<EdgeModel, EdgeReal> {
  #node: number | undefined;

  constructor(readonly which: number) {}

  check(model: Readonly<EdgeModel>): boolean {
    return model.downNodes.size > 0;
  }

  async run(model: EdgeModel, real: EdgeReal): Promise<void> {
    const down = [...model.downNodes].sort();
    this.#node = down[this.which % down.length] as number;
    await nodesOf(real).startNode(this.#node);
    model.downNodes.delete(this.#node);
  }

  toString(): string {
    return `start node ${this.#node ?? `#${this.which}`}`;
  }
}
