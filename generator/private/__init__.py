"""Private portals: a built portal folder and a key in; the same portal, encrypted, in an opaque folder out.

`keys` reads and writes the keys file (one random 256-bit key, or a passphrase,
per customer, plus a capability token for the feeds) and derives from a key
its folder id and its link. `seal` rewrites a portal mkdocs has just built:
every page becomes a shell holding the page's AES-256-GCM ciphertext, the
search index is encrypted, file names become opaque. `unlock.js` and
`prompt.html` are what the browser gets: the prompt, and WebCrypto decrypting
the page with the key from the link's fragment (never sent to the server).
"""
