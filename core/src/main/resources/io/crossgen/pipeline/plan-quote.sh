# quote ARG...: the arguments as one line for a remote shell, each in single quotes
quote() {
    q=
    for a in "$@"; do
        a=$(printf '%sx' "$a" | sed "s/'/'\\\\''/g")
        q="$q '${a%x}'"
    done
    printf '%s' "$q"
}
