import { TRPCClientError } from '@trpc/client';

/** The server's message for an error, or a generic one for network failures. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong';
}

/** The tRPC code (NOT_FOUND, CONFLICT…) of a failed call, if the server sent one. */
export function errorCode(error: unknown): string | undefined {
  if (error instanceof TRPCClientError) return (error.data as { code?: string } | undefined)?.code;
  return undefined;
}
