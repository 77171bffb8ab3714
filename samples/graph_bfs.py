"""Breadth-first search over a graph given as an edge list: the adjacency
as a dict of lists, the distances as a dict, the nodes seen as a set.
Returns how many nodes lie at each distance from the start (a histogram
of levels), which CPython running this source must agree with."""
import numpy as np

from pyaot import export


@export("int64[:](int64[:], int64[:], int64)")
def bfs_levels(src, dst, start):
    adj = {}
    for i in range(len(src)):
        a = src[i]
        b = dst[i]
        if a in adj:
            adj[a].append(b)
        else:
            adj[a] = [b]
        if b in adj:
            adj[b].append(a)
        else:
            adj[b] = [a]
    dist = {start: 0}
    seen = {start}
    frontier = [start]
    while len(frontier) > 0:
        nxt = []
        for u in frontier:
            if u in adj:
                for v in adj[u]:
                    if v not in seen:
                        seen.add(v)
                        dist[v] = dist[u] + 1
                        nxt.append(v)
        frontier = nxt
    deepest = 0
    for d in dist.values():
        deepest = max(deepest, d)
    levels = np.zeros(deepest + 1, np.int64)
    for d in dist.values():
        levels[d] += 1
    return levels
