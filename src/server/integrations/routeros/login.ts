import { createHash } from 'node:crypto';

type WriteCommand = (command: string, words: string[]) => Promise<Record<string, string>[]>;

/**
 * RouterOS >= 6.43 accepts name+password directly and answers a bare `!done`. Older routers ignore
 * the password, answer `!done =ret=<challenge>` and expect an MD5 response in a second `/login`.
 */
export async function loginRouterOs(write: WriteCommand, username: string, password: string): Promise<void> {
  const first = await write('/login', [`=name=${username}`, `=password=${password}`]);
  const challenge = first.find((row) => typeof row.ret === 'string')?.ret;
  if (challenge === undefined) return;
  await write('/login', [`=name=${username}`, `=response=${challengeResponse(password, challenge)}`]);
}

/** `00` + hex(md5(0x00 + password + challenge bytes)), as pre-6.43 routers compute it. */
export function challengeResponse(password: string, challengeHex: string): string {
  const digest = createHash('md5')
    .update(Buffer.concat([Buffer.from([0]), Buffer.from(password, 'utf8'), Buffer.from(challengeHex, 'hex')]))
    .digest('hex');
  return `00${digest}`;
}
