/** Anything that answers like `app.request`. */
interface Requestable {
  request(path: string, init?: RequestInit): Response | Promise<Response>
}

/**
 * Logs in through the real `POST /auth/login` and returns the `sid=…` cookie; a non-200 answer fails
 * the calling test with the status and body.
 */
export async function loginCookie(
  app: Requestable,
  who: { username: string; password: string },
  origin = 'http://localhost',
): Promise<string> {
  const res = await app.request('/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify(who),
  })
  if (res.status !== 200) throw new Error(`login as ${who.username} answered ${res.status}: ${await res.text()}`)
  const cookie = /sid=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0]
  if (!cookie) throw new Error('login set no sid cookie')
  return cookie
}
