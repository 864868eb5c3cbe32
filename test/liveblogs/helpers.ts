// Live blog test helpers: a newsroom with a published live blog made through the API, entries, and a
// small Server-Sent Events client (parses text/event-stream as EventSource does: id, event, data,
// comment lines) over a real HTTP connection.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App } from '../../src/app.js'
import { eventually } from '../helpers.js'
import { makeNewsroom, seedTaxonomy, story, type Newsroom } from '../management/helpers.js'

export type Blog = Newsroom & { id: number, slug: string }

export async function makeBlog (overrides: Parameters<typeof makeNewsroom>[0] = {}): Promise<Blog> {
  const n = await makeNewsroom(overrides)
  await seedTaxonomy(n)
  const created = await n.request.post('/v1/articles').set(n.auth).send(story({ headline: 'Election night live', live: true })).expect(201)
  await n.request.post(`/v1/articles/${created.body.id}/publish`).set(n.auth).expect(200)
  return { ...n, id: created.body.id as number, slug: created.body.slug as string }
}

export const entry = (overrides: Record<string, unknown> = {}) => ({
  body: [{ type: 'paragraph', text: 'Polls have closed.' }],
  ...overrides,
})

// Posts an entry a minute after the previous one (the test clock moves on)
export async function post (b: Blog, overrides: Record<string, unknown> = {}) {
  b.clock.advance(60_000)
  const res = await b.request.post(`/v1/articles/${b.id}/entries`).set(b.auth).send(entry(overrides)).expect(201)
  return res.body as { id: number, revision: number, createdAt: string, headline: string | null, pinned: boolean, keyEvent: boolean }
}

export interface SseEvent { id: string | undefined, event: string, data: string }

export interface Stream {
  status: number
  headers: IncomingHttpHeaders
  events: SseEvent[]
  comments: string[]
  // the whole body so far
  text: string
  ended: boolean
  // resolves when `count` events have arrived (fails after a deadline)
  waitFor (count: number): Promise<SseEvent[]>
  close (): void
}

export async function listening (app: App): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return `http://127.0.0.1:${port}`
}

// Opens the stream and resolves once the server says it is connected (or with the error answer).
export function openStream (base: string, path: string, headers: Record<string, string> = {}): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res: IncomingMessage) => {
      const stream: Stream = {
        status: res.statusCode!,
        headers: res.headers,
        events: [],
        comments: [],
        text: '',
        ended: false,
        waitFor: (count) => eventually(async () => stream.events.length >= count && stream.events, 5_000, `${count} events`),
        close: () => { req.destroy() },
      }
      let buffer = ''
      let event: SseEvent = { id: undefined, event: 'message', data: '' }
      let announced = false
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        stream.text += chunk
        buffer += chunk
        let end: number
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end)
          buffer = buffer.slice(end + 1)
          if (line === '') {
            if (event.data !== '') stream.events.push({ ...event, data: event.data.slice(0, -1) })
            event = { id: undefined, event: 'message', data: '' }
            continue
          }
          if (line.startsWith(':')) {
            stream.comments.push(line.slice(1).trim())
            if (!announced && line === ': connected') { announced = true; resolve(stream) }
            continue
          }
          const colon = line.indexOf(':')
          const field = colon < 0 ? line : line.slice(0, colon)
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (field === 'id') event.id = value
          else if (field === 'event') event.event = value
          else if (field === 'data') event.data += `${value}\n`
        }
      })
      res.on('end', () => {
        stream.ended = true
        if (!announced) resolve(stream)
      })
      res.on('error', () => { stream.ended = true })
      res.on('close', () => { stream.ended = true })
    })
    req.on('error', reject)
    req.end()
  })
}
