import { describe, expect, it } from 'vitest'
import { MAX_SURROGATE_HEADER, recordKeys, routeKeys, surrogateHeader } from '../../src/http/surrogate-keys.js'

describe('Surrogate-Key derivation', () => {
  it('gives each delivery route pattern its list keys', () => {
    expect(routeKeys('/v1/articles')).toEqual(['articles:list'])
    expect(routeKeys('/v1/articles/:slug')).toEqual([])
    expect(routeKeys('/v1/articles/:slug/related')).toEqual(['related', 'articles:list'])
    expect(routeKeys('/v1/sections/*')).toEqual(['sections:tree'])
    expect(routeKeys('/v1/fronts')).toEqual(['fronts', 'articles:list'])
    expect(routeKeys('/v1/search')).toEqual(['search', 'articles:list'])
    expect(routeKeys('/v1/most-viewed')).toEqual(['most-viewed'])
    expect(routeKeys('/v1/collections/:slug')).toEqual(['articles:list'])
    expect(routeKeys(undefined)).toEqual([])
  })

  it('finds most-viewed items, front modules and section trees', () => {
    const keys = recordKeys({
      section: { slug: 'news', name: 'News', path: 'news', children: [{ slug: 'uk', name: 'UK', path: 'news/uk', children: [] }] },
      mostViewed: [{ rank: 1, views: 10, article: { id: 9, slug: 's', url: '/news/s', section: { slug: 'news', name: 'News', path: 'news' } } }],
    })
    expect([...keys].sort()).toEqual(['article:9', 'section:news', 'section:news/uk'])
  })

  it('ignores look-alikes: body blocks, tags of unknown type, authors of unknown kind', () => {
    expect([...recordKeys({ body: [{ slug: 'x', id: 1, url: 'u' }], t: { slug: 'a', name: 'A', type: 'colour' }, a: { slug: 'b', name: 'B', kind: 'robot' } })]).toEqual([])
  })

  it('collapses to list keys when the header would pass 16 KB', () => {
    const many = Array.from({ length: 3000 }, (_, i) => `article:${i}`)
    const header = surrogateHeader([...many, 'articles:list'])
    expect(header).toBe('articles:list')
    expect(surrogateHeader(many.slice(0, 10))).toHaveLength('article:0 article:1 article:2 article:3 article:4 article:5 article:6 article:7 article:8 article:9'.length)
    expect(MAX_SURROGATE_HEADER).toBe(16384)
  })
})
