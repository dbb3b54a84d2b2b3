import { Table, TableMessage, Td, Th, Tr } from '@/components/ui/table';
import { formatBps, formatPps } from './format-rate';
import type { TorchFrame } from './torch-view';

const endpoint = (address: string, port: string) => (address ? (port ? `${address}:${port}` : address) : '—');

/** The busiest flows of the latest refresh, as the router listed them. */
export function TorchFlowsTable({ frame }: { frame: TorchFrame | null }) {
  return (
    <div className="space-y-1">
      <Table testId="torch-flows">
        <thead>
          <tr>
            <Th>Source</Th>
            <Th>Destination</Th>
            <Th>Protocol</Th>
            <Th className="text-right">tx</Th>
            <Th className="text-right">rx</Th>
            <Th className="text-right">tx packets</Th>
            <Th className="text-right">rx packets</Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {!frame && <TableMessage colSpan={7}>Waiting for the first refresh from the router…</TableMessage>}
          {frame && frame.flows.length === 0 && (
            <TableMessage colSpan={7} testId="torch-no-traffic">
              No traffic on this interface right now.
            </TableMessage>
          )}
          {frame?.flows.map((f, i) => (
            <Tr key={`${f.srcAddress}|${f.srcPort}|${f.dstAddress}|${f.dstPort}|${f.protocol}|${i}`} data-testid="torch-flow">
              <Td className="font-mono text-xs">{endpoint(f.srcAddress, f.srcPort)}</Td>
              <Td className="font-mono text-xs">{endpoint(f.dstAddress, f.dstPort)}</Td>
              <Td>{f.protocol || '—'}</Td>
              <Td className="text-right tabular-nums">{formatBps(f.txBps)}</Td>
              <Td className="text-right tabular-nums">{formatBps(f.rxBps)}</Td>
              <Td className="text-right tabular-nums text-slate-500">{formatPps(f.txPps)}</Td>
              <Td className="text-right tabular-nums text-slate-500">{formatPps(f.rxPps)}</Td>
            </Tr>
          ))}
        </tbody>
      </Table>
      {frame && frame.flowCount > frame.flows.length && (
        <p className="text-xs text-slate-500" data-testid="torch-flows-more">
          The {frame.flows.length} busiest of {frame.flowCount.toLocaleString('en')} flows
          {frame.truncated ? ' (the router listed more than the panel reads in one refresh)' : ''}.
        </p>
      )}
    </div>
  );
}
