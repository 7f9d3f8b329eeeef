# Stand-in for xCAT's netboot/imgutils/imgutils.pm: reads package lists with #INCLUDE:file# (relative paths
# resolved against the directory of the top-level list, $VAR and ${VAR} from the environment).
package imgutils;
use strict;
use warnings;
use File::Basename qw(dirname);

sub read_list {
    my ($file, $top) = @_;
    open(my $fh, '<', $file) or do { print "Cannot open package list $file\n"; exit 1 };
    my @pkgs;
    while (my $line = <$fh>) {
        chomp $line;
        $line =~ s/^\s+|\s+$//g;
        next if $line eq '';
        if ($line =~ /^#INCLUDE:([^#]+)#$/) {
            my $inc = $1;
            $inc =~ s/\$\{(\w+)\}|\$(\w+)/$ENV{defined $1 ? $1 : $2} \/\/ ''/ge;
            $inc = dirname($top) . "/$inc" unless $inc =~ m{^/};
            push @pkgs, read_list($inc, $top);
            next;
        }
        next if $line =~ /^#/;
        push @pkgs, split(/\s+/, $line);
    }
    close $fh;
    return @pkgs;
}

1;
