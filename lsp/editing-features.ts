/** Formatting (whole document and range) with `kindling fmt`'s formatter. */
import type { Feature } from './context.js';
import { pathOfUri } from './convert.js';
import { formatDocument, formatRange } from './formatting.js';

export const formattingFeature: Feature = {
  capabilities: { documentFormattingProvider: true, documentRangeFormattingProvider: true },
  register: ({ connection, documents }) => {
    connection.onDocumentFormatting((params) => {
      const doc = documents.get(params.textDocument.uri);
      const path = pathOfUri(params.textDocument.uri);
      return doc === undefined || path === undefined ? [] : formatDocument(doc.getText(), path);
    });
    connection.onDocumentRangeFormatting((params) => {
      const doc = documents.get(params.textDocument.uri);
      const path = pathOfUri(params.textDocument.uri);
      return doc === undefined || path === undefined ? [] : formatRange(doc.getText(), path, params.range);
    });
  },
};

export const editingFeatures: readonly Feature[] = [formattingFeature];
