# Shared code of the testbed's xCAT client stand-ins (lsdef, mkdef, genimage, packimage). They behave like
# xCAT 2.18's clients as documented in shared/XCAT.md, traps included: every one waits up to 1 s on an idle
# stdin when TERM is unset, errors go to stderr as "Error: [xcatmn]: msg" with exit 1.
package StandIn;
use strict;
use warnings;

our $DB = $ENV{STANDIN_DB} // '/opt/xcat/standin/db';
our $HOST = 'xcatmn';

sub error { print STDERR "Error: [$HOST]: $_[0]\n"; exit 1; }

# The round trip to xcatd that every real client makes before it answers: seconds in
# /opt/xcat/standin/latency (none when the file is absent). Over 1 s, it springs the trap of XCAT.md 3.3 on
# `lsdef | mkdef -z`: mkdef gives up waiting for its input before lsdef has printed anything.
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

# mkdef -z parsing (DBobjUtils::readFileInput): headers end in ':', the first '=' splits, one pair of
# quotes stripped, '#' lines skipped, an invalid header or a line without '=' drops lines until the next header.
sub parse_stanzas {
    my $text = shift;
    my (@objects, %defaults, $cur, $skip);
    for my $line (split /\n/, $text) {
        next if $line =~ /^\s*$/ || $line =~ /^\s*#/;
        if ($line =~ /^\s*(.*?)\s*:\s*$/ && $line !~ /^[^:]*=/) {
            my $name = $line; $name =~ s/\s*:\s*$//; $name =~ s/^\s+//;
            if ($name =~ /=/) { $skip = 1; next; }
            $skip = 0;
            if ($name =~ /^default-(\w+)$/) { $cur = { name => $name, default => $1, attrs => {} }; }
            else { $cur = { name => $name, attrs => {} }; push @objects, $cur; }
            next;
        }
        if ($line =~ /:\s*$/ && $line =~ /=/) { $skip = 1; next; }   # value ending in ':' read as a bad header
        next if $skip || !$cur;
        if ($line =~ /^\s*([^=]*?)\s*=\s*(.*?)\s*$/) {
            my ($k, $v) = ($1, $2);
            $v =~ s/^"\s*//; $v =~ s/\s*"$//;
            if ($cur->{default}) { $defaults{$cur->{default}}{$k} = $v; next; }
            if ($k eq 'objtype' && $defaults{$v}) {
                %{$cur->{attrs}} = (%{$defaults{$v}}, %{$cur->{attrs}});
            }
            $cur->{attrs}{$k} = $v;
        } else {
            $skip = 1;
        }
    }
    return @objects;
}

1;
