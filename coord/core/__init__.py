"""What every module shares and that knows no module: errors, the acting person, forms, local time,
Markdown, ids, model mixins, the permission registry and the module manifest."""
