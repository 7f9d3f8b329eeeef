# Shared code of the testbed's xCAT client stand-ins (lsdef, mkdef, genimage, packimage). They behave like
# xCAT 2.18's clients as documented in shared/XCAT.md, traps included: every one waits up to 1 s on an idle
# stdin when TERM is unset, errors go to stderr as "Error: [xcatmn]: msg" with exit 1.
package StandIn;
use strict;
use warnings;

our $DB = $ENV{STANDIN_DB} // '/opt/xcat/standin/db';
our $HOST = 'xcatmn';

sub error { print STDERR "Error: [$HOST]: $_[0]\n"; exit 1; }

# What every real client costs after reading its stdin: Perl loading xCAT::Client, the SSL connection to xcatd
# (xCAT::Client::submit_request) and xcatd's answer, about a second on a real MN. Seconds in
# /opt/xcat/standin/latency (none when the file is absent; `TESTBED_XCAT_DELAY=0.3 testbed/up` writes it, and it
# can be changed at any time). Every stand-in client pays it once per call (genimage twice: its client runs an
# lsdef of its own). Over 1 s, it springs the trap of XCAT.md 3.3 on `lsdef | mkdef -z`: mkdef gives up waiting
# for its input before lsdef has printed anything.
sub xcatd_round_trip {
    my $f = "$DB/../latency";
    return unless -r $f;
    open(my $fh, '<', $f) or return;
    my $seconds = <$fh>;
    close $fh;
    select(undef, undef, undef, $seconds) if defined $seconds && $seconds =~ /^\d+(\.\d+)?\s*$/;
}

# xcatDBcmds and xcatclientnnr: without TERM, wait at most 1 s for stdin; read it to EOF only if it became
# readable in time. With TERM set, read it whenever it is not a tty.
sub stdin_text {
    my $rin = '';
    vec($rin, fileno(STDIN), 1) = 1;
    if (!defined $ENV{TERM}) {
        my $n = select(my $rout = $rin, undef, undef, 1);
        return '' unless $n && $n > 0;
    } elsif (-t STDIN) {
        return '';
    }
    local $/;
    my $t = <STDIN>;
    return defined $t ? $t : '';
}

sub image_file { my $name = shift; return "$DB/osimage/$name"; }

# A site table attribute from $DB/site ("attr=value" lines); undef when unset.
sub site_attribute {
    my $want = shift;
    open(my $fh, '<', "$DB/site") or return undef;
    my $v;
    while (my $l = <$fh>) {
        chomp $l;
        $v = $2 if $l =~ /^([^=]+)=(.*)$/ && $1 eq $want;
    }
    close $fh;
    return $v;
}

# Reads a stored osimage: ordered list of [attr, value].
sub read_image {
    my $name = shift;
    my $f = image_file($name);
    return undef unless -f $f;
    open(my $fh, '<', $f) or die "$f: $!";
    my %a;
    while (my $l = <$fh>) {
        chomp $l;
        next unless $l =~ /^([^=]+)=(.*)$/;
        $a{$1} = $2;
    }
    close $fh;
    return \%a;
}

sub write_image {
    my ($name, $attrs) = @_;
    system('mkdir', '-p', "$DB/osimage") == 0 or die "mkdir: $!";
    open(my $fh, '>', image_file($name)) or die "write $name: $!";
    for my $k (sort keys %$attrs) {
        print $fh "$k=$attrs->{$k}\n" if length $attrs->{$k};
    }
    close $fh;
}

# mkdef -z parsing, as DBobjUtils::readFileInput reads: a line whose last non-blank character is ':' is a
# header (the name is what comes before the last ':'); a header whose name holds '=' is invalid and everything
# up to the next valid header is ignored, so an attribute line whose value ends in ':' drops the rest of its
# stanza (XCAT.md 3.2). Only "default-X" (X without '-') and "default" are defaults stanzas: "default-X" sets
# defaults for objects of type X, "default" adds to the type of the last "default-X". Defaults are copied into
# an object when its objtype= line is read, over the values given before it. A line with no '=' that is no
# header also ignores everything up to the next header. Objects of the same name merge.
sub parse_stanzas {
    my $text = shift;
    my (@names, %attrs, %defaults, $name, $deftype);
    my $skip = 1;
    for my $line (split /\n/, $text) {
        next if $line =~ /^\s*$/ || $line =~ /^\s*#/;
        if ($line =~ /:\s*$/) {
            $skip = 0;
            (my $h = $line) =~ s/\s*$//;
            $h =~ /^(.*):(.*?)$/;
            $name = $1;
            if ($name =~ /=/) { $skip = 1; next; }
            $name =~ s/^\s*//;
            $name =~ s/\s*$//;
            if ($name =~ /^default-([^-]+)$/) { $deftype = $1; $name = 'default'; next; }
            push @names, $name unless $name eq 'default' || exists $attrs{$name};
            $attrs{$name} //= {} unless $name eq 'default';
            next;
        }
        if (!$skip && $line =~ /^\s*(.*?)\s*=\s*(.*)\s*/) {
            my ($k, $v) = ($1, $2);
            $v =~ s/^\s*//; $v =~ s/\s*$//;
            $v =~ s/^\s*"\s*//; $v =~ s/\s*"\s*$//;
            if ($name eq 'default') { $defaults{$deftype // ''}{$k} = $v; next; }
            $attrs{$name}{$k} = $v;
            if ($k eq 'objtype') {
                $attrs{$name}{$_} = $defaults{$v}{$_} for keys %{ $defaults{$v} // {} };
            }
        } else {
            $skip = 1;
        }
    }
    return map { { name => $_, attrs => $attrs{$_} } } @names;
}

1;
