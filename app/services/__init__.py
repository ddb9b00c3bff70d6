"""Request-free work the views share: building documents, co-signing, deadlines, the
rebuttal bank. Services may read and write the database and the audit log; they never read
`request`, and no view imports another view: views import services."""
