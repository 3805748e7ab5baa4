// placeholder: replaced by the typed bridge
export {}
