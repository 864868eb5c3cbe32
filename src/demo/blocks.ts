// Short constructors for demo body blocks and pictures, so the stories read like copy.
import type { z } from 'zod'
import type { Block, HeroImage } from '../articles/schemas.js'

type BlockInput = z.input<typeof Block>
type HeroImageInput = z.input<typeof HeroImage>

const media = (path: string) => `https://media.dateline.example/${path}`

export const p = (text: string): BlockInput => ({ type: 'paragraph', text })
export const h2 = (text: string): BlockInput => ({ type: 'heading', level: 2, text })
export const h3 = (text: string): BlockInput => ({ type: 'heading', level: 3, text })
export const quote = (text: string, attribution?: string): BlockInput => ({ type: 'quote', text, attribution: attribution ?? null })
export const ul = (...items: string[]): BlockInput => ({ type: 'list', ordered: false, items })
export const ol = (...items: string[]): BlockInput => ({ type: 'list', ordered: true, items })

export const image = (path: string, alt: string, caption: string, credit: string): BlockInput =>
  ({ type: 'image', src: media(path), alt, caption, credit, width: 1600, height: 1067 })

export const map = (path: string, alt: string, caption: string): BlockInput =>
  ({ type: 'image', src: media(path), alt, caption, credit: 'Dateline Courier graphics', width: 1200, height: 900 })

export const embed = (provider: 'twitter' | 'youtube' | 'instagram' | 'facebook' | 'other', url: string, title: string): BlockInput =>
  ({ type: 'embed', provider, url, title })

export const hero = (path: string, alt: string, caption: string, credit: string): HeroImageInput =>
  ({ src: media(path), alt, caption, credit, width: 2400, height: 1350 })
