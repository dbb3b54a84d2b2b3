export function Forbidden({ permission }: { permission: string }) {
  return (
    <div className="rounded-lg border border-amber-200 bg-amber-50 p-6 text-amber-900">
      <h1 className="text-lg font-semibold">Not allowed</h1>
      <p className="mt-1 text-sm">
        Your role lacks the <code>{permission}</code> permission. Ask an administrator to change your role.
      </p>
    </div>
  );
}
