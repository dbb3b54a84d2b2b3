'use client';

import { useEffect, useRef, useState } from 'react';
import { useCan } from '@/components/actor-context';
import { Button, Spinner } from '@/components/ui/button';
import { Dialog, DialogFooter } from '@/components/ui/dialog';
import { errorMessage } from '@/components/ui/error-text';
import { api } from '@/trpc/react';
import type { RouterOutputs } from '@/trpc/types';

type SubscriberImport = RouterOutputs['subscriberImports']['get'];
type Upload = { phase: 'idle' } | { phase: 'uploading'; fraction: number } | { phase: 'refused'; error: string };

const HEADER = 'username,password,plan,nas,static_ip,enabled';
const RUNNING = new Set(['queued', 'importing']);

/**
 * POST the file as it is (the server streams it): XMLHttpRequest rather than fetch, for the upload's progress.
 * Resolves with the checked import, or the one error that made the file unreadable (nothing was written then).
 */
function uploadCsv(
  file: File,
  resellerId: number | null,
  onProgress: (fraction: number) => void,
): Promise<{ import?: SubscriberImport; error?: string }> {
  return new Promise((resolve) => {
    const params = new URLSearchParams({ name: file.name });
    if (resellerId !== null) params.set('reseller_id', String(resellerId));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/subscribers/import?${params}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      try {
        resolve(JSON.parse(xhr.responseText));
      } catch {
        resolve({ error: `the upload failed (HTTP ${xhr.status})` });
      }
    };
    xhr.onerror = () => resolve({ error: 'the upload did not reach the panel: check the connection and try again' });
    xhr.send(file);
  });
}

/** Upload a CSV, see the dry run's errors by line, import it in the background with a progress bar. */
export function SubscriberImportDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const can = useCan();
  const utils = api.useUtils();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [resellerId, setResellerId] = useState<number | null>(null);
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const [importId, setImportId] = useState<number | null>(null);
  const options = api.subscribers.formOptions.useQuery(undefined, { enabled: can('nas.all'), staleTime: 60_000 });
  const status = api.subscriberImports.get.useQuery(
    { id: importId ?? 0 },
    {
      enabled: importId !== null,
      // Polled while the job runs: the progress bar, then the result.
      refetchInterval: (q) => (q.state.data && RUNNING.has(q.state.data.state) ? 500 : false),
    },
  );
  const start = api.subscriberImports.start.useMutation({ onSuccess: (imp) => utils.subscriberImports.get.setData({ id: imp.id }, imp) });
  const discard = api.subscriberImports.discard.useMutation();
  const imp = importId !== null ? status.data : undefined;
  const done = imp?.state === 'done';
  useEffect(() => {
    // The new subscribers appear in the list behind the dialog.
    if (done) void utils.subscribers.list.invalidate();
  }, [done, utils]);

  const reset = () => {
    if (imp && ['checked', 'invalid', 'failed'].includes(imp.state)) discard.mutate({ id: imp.id });
    setImportId(null);
    setUpload({ phase: 'idle' });
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
  };

  const send = async () => {
    if (!file) return;
    setUpload({ phase: 'uploading', fraction: 0 });
    const res = await uploadCsv(file, resellerId, (fraction) => setUpload({ phase: 'uploading', fraction }));
    if (!res.import) {
      setUpload({ phase: 'refused', error: res.error ?? 'the upload failed' });
      return;
    }
    utils.subscriberImports.get.setData({ id: res.import.id }, res.import);
    setImportId(res.import.id);
    setUpload({ phase: 'idle' });
  };

  const close = (next: boolean) => {
    // A checked file nobody imported is dropped; a running import goes on without the dialog.
    if (!next && imp && ['checked', 'invalid'].includes(imp.state)) discard.mutate({ id: imp.id });
    onOpenChange(next);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title="Import subscribers from CSV"
      description="Checked first: nothing is written until you press Import, and then all rows or none."
      width="max-w-3xl"
      testId="subscriber-import-dialog"
    >
      <div className="space-y-4 px-5 py-4 text-sm">
        {!imp && (
          <>
            <p className="text-slate-600">
              UTF-8 CSV with the header <code className="rounded bg-slate-100 px-1">{HEADER}</code>: the plan by name, the NAS by name or
              IP, static_ip optional, enabled true/false/yes/no/1/0 (default true). At most 64 MB.
            </p>
            <input
              ref={fileInput}
              type="file"
              accept=".csv,text/csv"
              aria-label="CSV file"
              data-testid="subscriber-import-file"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setUpload({ phase: 'idle' });
              }}
            />
            {can('nas.all') && (options.data?.resellers.length ?? 0) > 0 && (
              <label className="block">
                <span className="mr-2 text-slate-700">Reseller</span>
                <select
                  value={resellerId ?? ''}
                  onChange={(e) => setResellerId(e.target.value ? Number(e.target.value) : null)}
                  className="rounded-md border border-slate-300 py-1 pl-2 pr-8"
                  data-testid="subscriber-import-reseller"
                >
                  <option value="">None (the panel&apos;s own)</option>
                  {options.data?.resellers.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name}
                    </option>
                  ))}
                </select>
              </label>
            )}
            {upload.phase === 'uploading' && (
              <ProgressBar
                fraction={upload.fraction}
                label={upload.fraction < 1 ? 'Uploading' : 'Checking'}
                testId="subscriber-import-upload-progress"
              />
            )}
            {upload.phase === 'refused' && (
              <p className="rounded-md bg-red-50 px-3 py-2 text-red-700" data-testid="subscriber-import-refused">
                The file was not imported: {upload.error}
              </p>
            )}
          </>
        )}

        {imp && imp.state === 'invalid' && (
          <>
            <p className="text-red-700" data-testid="subscriber-import-invalid">
              {imp.errorCount.toLocaleString('en')} problem{imp.errorCount === 1 ? '' : 's'} in {imp.totalRows.toLocaleString('en')} rows of{' '}
              {imp.fileName}
              {imp.errorCount > imp.errors.length && ` (the first ${imp.errors.length.toLocaleString('en')} shown)`}. Nothing was written:
              fix the file and upload it again.
            </p>
            <ErrorTable errors={imp.errors} />
          </>
        )}

        {imp && imp.state === 'checked' && (
          <p className="text-slate-700" data-testid="subscriber-import-checked">
            {imp.totalRows.toLocaleString('en')} subscriber{imp.totalRows === 1 ? '' : 's'} in {imp.fileName} passed the check
            {imp.resellerName ? ` for reseller ${imp.resellerName}` : ''}. Nothing is written until you press Import.
          </p>
        )}

        {imp && RUNNING.has(imp.state) && (
          <ProgressBar
            fraction={imp.totalRows ? imp.processedRows / imp.totalRows : 0}
            label={
              imp.state === 'queued'
                ? 'Waiting for the import job'
                : `Importing ${imp.processedRows.toLocaleString('en')} of ${imp.totalRows.toLocaleString('en')}`
            }
            testId="subscriber-import-progress"
          />
        )}

        {imp && imp.state === 'done' && (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-emerald-800" data-testid="subscriber-import-done">
            Imported {imp.processedRows.toLocaleString('en')} subscribers from {imp.fileName}.
          </p>
        )}

        {imp && imp.state === 'failed' && (
          <>
            <p className="rounded-md bg-red-50 px-3 py-2 text-red-700" data-testid="subscriber-import-failed">
              The import failed and nothing was written: {imp.error}
            </p>
            {imp.errors.length > 0 && <ErrorTable errors={imp.errors} />}
          </>
        )}
        {(start.error || status.error) && <p className="text-red-700">{errorMessage(start.error ?? status.error)}</p>}
      </div>
      <DialogFooter>
        {!imp && (
          <Button variant="primary" disabled={!file || upload.phase === 'uploading'} onClick={send} data-testid="subscriber-import-upload">
            {upload.phase === 'uploading' && <Spinner />} Check file
          </Button>
        )}
        {imp && ['invalid', 'checked', 'failed'].includes(imp.state) && (
          <Button onClick={reset} data-testid="subscriber-import-another">
            Choose another file
          </Button>
        )}
        {imp && (imp.state === 'checked' || (imp.state === 'failed' && imp.errors.length === 0)) && (
          <Button
            variant="primary"
            disabled={start.isPending}
            onClick={() => start.mutate({ id: imp.id })}
            data-testid="subscriber-import-start"
          >
            {start.isPending && <Spinner />} {imp.state === 'failed' ? 'Try again' : `Import ${imp.totalRows.toLocaleString('en')}`}
          </Button>
        )}
        {imp && (imp.state === 'done' || RUNNING.has(imp.state)) && (
          <Button onClick={() => close(false)} data-testid="subscriber-import-close">
            Close
          </Button>
        )}
      </DialogFooter>
    </Dialog>
  );
}

function ProgressBar({ fraction, label, testId }: { fraction: number; label: string; testId: string }) {
  const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div data-testid={testId}>
      <div className="mb-1 flex justify-between text-xs text-slate-600">
        <span>{label}</span>
        <span>{pct} %</span>
      </div>
      <div
        className="h-2 rounded bg-slate-200"
        role="progressbar"
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={label}
      >
        <div className="h-2 rounded bg-sky-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function ErrorTable({ errors }: { errors: SubscriberImport['errors'] }) {
  return (
    <div className="max-h-80 overflow-y-auto rounded-md border border-slate-200">
      <table className="w-full text-left text-xs" data-testid="subscriber-import-errors">
        <thead className="sticky top-0 bg-slate-50 text-slate-500">
          <tr>
            <th className="px-2 py-1">Line</th>
            <th className="px-2 py-1">Column</th>
            <th className="px-2 py-1">Problem</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="px-2 py-1 font-mono">{e.line}</td>
              <td className="px-2 py-1 font-mono">{e.field}</td>
              <td className="px-2 py-1">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
