'use client';
import cytoscape, { type Core } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { graphStyle, readPalette } from './graph-style';
import type { GraphView, ViewHighlight, ViewNode } from './graph-view';
import { packLayout } from './pack-layout';

/** User Timing mark set each time the graph is drawn after a change (`performance.getEntriesByName`). */
export const GRAPH_READY_MARK = 'velocity:graph-ready';

/** Nodes to fit in the viewport once drawn (none: the whole graph); a new `nonce` fits again. */
export interface CanvasFocus {
  readonly nodes: readonly string[];
  readonly nonce: number;
}

/** Props of {@link GraphCanvas}. */
export interface GraphCanvasProps {
  readonly view: GraphView;
  readonly highlight: ViewHighlight;
  readonly focus: CanvasFocus | undefined;
  /** Called with a node's id when it is clicked or tapped. */
  readonly onTapNode: (id: string) => void;
}

/** A node's text: its name, and for a collapsed cluster its size and affected tests. */
function displayLabel(node: ViewNode, affected: number | undefined): string {
  if (node.kind !== 'folder' && node.kind !== 'package') return node.label;
  if (node.expanded) return `${node.label}/`;
  const files = `${node.size} file${node.size === 1 ? '' : 's'}`;
  return `${node.label}/\n${affected === undefined ? files : `${files} · ${affected} affected`}`;
}

/** Width and height of a node's box, px: its label's lines at 11 px plus padding. */
function boxOf(display: string): { width: number; height: number } {
  const lines = display.split('\n');
  return {
    width: Math.max(...lines.map((line) => line.length)) * 6.6 + 14,
    height: lines.length * 14 + 12,
  };
}

/** Adds, updates and removes elements so that `cy` draws `view`. */
function syncElements(cy: Core, view: GraphView): void {
  const wanted = new Set<string>();
  for (const node of view.nodes) wanted.add(node.id);
  for (const edge of view.edges) wanted.add(edge.id);
  cy.batch(() => {
    cy.edges()
      .filter((edge) => !wanted.has(edge.id()))
      .remove();
    cy.nodes()
      .filter((node) => !wanted.has(node.id()))
      .remove();
    for (const node of view.nodes) {
      const existing = cy.getElementById(node.id);
      const data = { kind: node.kind, path: node.path, expanded: node.expanded, size: node.size };
      if (existing.nonempty()) existing.data(data);
      else
        cy.add({
          group: 'nodes',
          data: {
            id: node.id,
            ...(node.parent === undefined ? {} : { parent: node.parent }),
            ...data,
          },
        });
    }
    for (const edge of view.edges)
      if (cy.getElementById(edge.id).empty()) cy.add({ group: 'edges', data: { ...edge } });
  });
}

/** Sets every element's highlight classes and every node's label. */
function applyHighlight(cy: Core, view: GraphView, highlight: ViewHighlight): void {
  cy.batch(() => {
    for (const node of view.nodes) {
      const element = cy.getElementById(node.id);
      const display = displayLabel(node, highlight.affectedCount.get(node.id));
      element.classes(highlight.classes.get(node.id) ?? '');
      element.data({ display, ...boxOf(display) });
    }
    for (const edge of view.edges)
      cy.getElementById(edge.id).classes(highlight.classes.get(edge.id) ?? '');
  });
}

/**
 * The interactive graph: zoom and pan (wheel, drag, pinch), click a node to act on it. Draws `view` with
 * cytoscape, laid out by {@link packLayout} (folders as nested boxes, O(N), the same picture every time) when it
 * changes; highlight changes only restyle it.
 *
 * @remarks
 * The wrapper's `data-state` is `layout` while a change is being laid out and `ready` once it is drawn, when
 * the {@link GRAPH_READY_MARK} mark is also set.
 *
 * @see https://js.cytoscape.org/
 */
export function GraphCanvas({ view, highlight, focus, onTapNode }: GraphCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const drawn = useRef<{ view?: GraphView; focus?: number }>({});
  const onTap = useRef(onTapNode);
  useEffect(() => {
    onTap.current = onTapNode;
  }, [onTapNode]);

  useEffect(() => {
    const element = container.current as HTMLDivElement;
    const cy = cytoscape({
      container: element,
      style: graphStyle(readPalette(element)),
      minZoom: 0.02,
      maxZoom: 2.5,
      boxSelectionEnabled: false,
      // Large views stay smooth to pan and zoom: draw a snapshot while moving.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      pixelRatio: 1,
    });
    cy.on('tap', 'node', (event) => onTap.current((event.target as cytoscape.NodeSingular).id()));
    cyRef.current = cy;
    drawn.current = {};
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    const element = container.current;
    if (cy === null || element === null) return;
    const fit = () => {
      if (focus === undefined || drawn.current.focus === focus.nonce) return;
      drawn.current.focus = focus.nonce;
      const wanted = new Set(focus.nodes);
      const nodes = cy.nodes().filter((node) => wanted.has(node.id()));
      cy.fit(nodes.nonempty() ? nodes : undefined, nodes.nonempty() ? 80 : 30);
    };
    if (drawn.current.view === view) {
      applyHighlight(cy, view, highlight);
      fit();
      return;
    }
    drawn.current.view = view;
    element.dataset['state'] = 'layout';
    syncElements(cy, view);
    applyHighlight(cy, view, highlight);
    cy.one('render', () => {
      element.dataset['state'] = 'ready';
      performance.mark(GRAPH_READY_MARK);
    });
    cy.layout({
      name: 'preset',
      positions: Object.fromEntries(packLayout(view)),
      fit: true,
      padding: 30,
    }).run();
    fit();
  }, [view, highlight, focus]);

  return (
    <div
      ref={container}
      className="graph-canvas"
      data-testid="graph-canvas"
      data-state="layout"
      role="img"
      aria-label="Import graph; the table below lists what it draws"
    />
  );
}
