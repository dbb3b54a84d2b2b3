import { cleanRouterText } from './router-text';

// `/tool/torch` rows as the API prints them: one `!re` per flow, the flows of one refresh sharing a `.section`;
// `tx`/`rx` in bit/s and `tx-packets`/`rx-packets` per second, seen from the interface (rx: what the router
// receives on it, tx: what it sends out of it).

export interface TorchFlow {
  srcAddress: string;
  dstAddress: string;
  /** As printed (`443`); empty when the torch does not break down by port or the protocol has none. */
  srcPort: string;
  dstPort: string;
  /** `tcp`, `udp`, `icmp`… or, for traffic that is not IP, the MAC protocol (`arp`). */
  protocol: string;
  rxBps: number;
  txBps: number;
  rxPps: number;
  txPps: number;
}

export interface TorchFrame {
  /** When the frame was complete (epoch ms). */
  at: number;
  /** The busiest flows, rx + tx descending, at most `maxFlows` of them. */
  flows: TorchFlow[];
  /** Every flow of the refresh, including those not listed. */
  flowCount: number;
  /** Sums over every flow of the refresh. */
  rxBps: number;
  txBps: number;
  /** The router sent more rows in one refresh than the panel reads; the sums cover those read. */
  truncated: boolean;
}

/** A row that is not a torch row: the stream ends with a protocol error naming the field. */
export class TorchRowError extends Error {}

const ADDRESS_MAX = 64;
const SHORT_MAX = 24;

/** A rate or packet count: RouterOS prints whole numbers; anything else means the row is not what we think. */
function count(row: Record<string, string>, name: string): number {
  const value = row[name];
  if (value === undefined || value === '') return 0;
  if (!/^\d{1,15}$/.test(value)) throw new TorchRowError(`${name} is "${cleanRouterText(value, SHORT_MAX)}", not a number`);
  return Number(value);
}

/** The flow a row describes; null for a row that names none (RouterOS's row of zeros for a refresh without traffic). */
export function parseTorchRow(row: Record<string, string>): TorchFlow | null {
  const flow = {
    srcAddress: cleanRouterText(row['src-address'] ?? '', ADDRESS_MAX),
    dstAddress: cleanRouterText(row['dst-address'] ?? '', ADDRESS_MAX),
    srcPort: cleanRouterText(row['src-port'] ?? '', SHORT_MAX),
    dstPort: cleanRouterText(row['dst-port'] ?? '', SHORT_MAX),
    protocol: cleanRouterText(row['ip-protocol'] || row['mac-protocol'] || '', SHORT_MAX),
    rxBps: count(row, 'rx'),
    txBps: count(row, 'tx'),
    rxPps: count(row, 'rx-packets'),
    txPps: count(row, 'tx-packets'),
  };
  return flow.srcAddress || flow.dstAddress || flow.protocol || flow.srcPort || flow.dstPort ? flow : null;
}

/** The rows of one refresh, bounded: past `maxRows` they are dropped and the frame says so. */
export class TorchSection {
  private readonly flows: TorchFlow[] = [];
  private truncated = false;

  constructor(
    readonly id: string | null,
    private readonly maxRows: number,
  ) {}

  get size(): number {
    return this.flows.length;
  }

  add(flow: TorchFlow): void {
    if (this.flows.length >= this.maxRows) this.truncated = true;
    else this.flows.push(flow);
  }

  toFrame(at: number, maxFlows: number): TorchFrame {
    let rxBps = 0;
    let txBps = 0;
    for (const f of this.flows) {
      rxBps += f.rxBps;
      txBps += f.txBps;
    }
    const busiest = [...this.flows].sort((a, b) => b.rxBps + b.txBps - (a.rxBps + a.txBps)).slice(0, maxFlows);
    return { at, flows: busiest, flowCount: this.flows.length, rxBps, txBps, truncated: this.truncated };
  }
}
