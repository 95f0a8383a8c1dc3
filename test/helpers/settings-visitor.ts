/** A browser's cookie jar for the settings page (session and the sign-in-with-Slack binding cookie). */
export class Visitor {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(path: string): Promise<Response> {
    return this.keep(await fetch(`${this.base}${path}`, { redirect: 'manual', headers: { cookie: this.cookie } }));
  }
  async post(path: string, form: Record<string, string | string[]>): Promise<Response> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    return this.keep(
      await fetch(`${this.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        body,
        headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }
  /** The CSRF token from a page's forms. */
  async csrf(path = '/settings/organizations'): Promise<string> {
    const page = await (await this.get(path)).text();
    return /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  }
  private keep(res: Response): Response {
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}
