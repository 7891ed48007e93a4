"""Reads a PDF with pypdf (Debian's python3-pypdf), as the e2e tests check an exported chart:
pages, the text on them, how many images, path and text operators their content streams hold,
the Creator, and nnlab's provenance JSON from the XMP metadata. Prints one JSON object."""
import json
import sys
import xml.etree.ElementTree as ET

from pypdf import PdfReader
from pypdf.generic import ContentStream

NS = {'nnlab': 'urn:nnlab:xmp:1.0/'}
PATH_OPS = {b'm', b'l', b'c', b'v', b'y', b're', b'h'}
TEXT_OPS = {b'Tj', b'TJ', b"'", b'"'}


def images_of(resources):
    xobjects = resources.get('/XObject') if resources else None
    if not xobjects:
        return 0
    n = 0
    for ref in xobjects.get_object().values():
        x = ref.get_object()
        if x.get('/Subtype') == '/Image':
            n += 1
        elif x.get('/Subtype') == '/Form':
            n += images_of(x.get('/Resources'))
    return n


reader = PdfReader(sys.argv[1])
text, images, paths, texts = [], 0, 0, 0
for page in reader.pages:
    text.append(page.extract_text())
    resources = page.get('/Resources')
    images += images_of(resources.get_object() if resources else None)
    ops = [op for _, op in ContentStream(page.get_contents(), reader).operations]
    paths += sum(1 for op in ops if op in PATH_OPS)
    texts += sum(1 for op in ops if op in TEXT_OPS)
root = reader.trailer['/Root']
provenance = None
if '/Metadata' in root:
    xmp = root['/Metadata'].get_object().get_data().decode('utf-8')
    node = ET.fromstring(xmp).find('.//nnlab:provenance', NS)
    provenance = json.loads(node.text) if node is not None else None
info = reader.metadata or {}
print(json.dumps({'pages': len(reader.pages), 'text': '\n'.join(text), 'images': images, 'paths': paths, 'texts': texts,
                  'creator': str(info.get('/Creator', '')), 'title': str(info.get('/Title', '')), 'provenance': provenance}))
