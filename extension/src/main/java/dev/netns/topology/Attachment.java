package dev.netns.topology;

import dev.netns.kernel.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * One host's address on one segment (a link or a LAN): what routing and overlap checks work on.
 *
 * @param host the attached host ({@link Topology#HOST} for the machine's own)
 * @param address the host's address with prefix
 * @param segment identifies the link or LAN, so that attachments of one segment go together
 * @param origin the segment's declaration, for messages
 */
record Attachment(String host, Cidr address, Object segment, String origin) {

  Cidr network() {
    return address.network();
  }

  static List<Attachment> ofLink(VethPair link) {
    List<Attachment> attachments = new ArrayList<>();
    for (String side : new String[] {link.a(), link.b()}) {
      for (Cidr address : link.addressesIn(side)) {
        attachments.add(new Attachment(side, address, link, link.origin()));
      }
    }
    return attachments;
  }

  static List<Attachment> ofLan(Lan lan) {
    List<Attachment> attachments = new ArrayList<>();
    for (LanPort port : lan.ports()) {
      for (Cidr address : port.addresses()) {
        attachments.add(new Attachment(port.host(), address, lan, lan.origin()));
      }
    }
    return attachments;
  }

  /** Two segments must not use overlapping subnets. */
  static void checkOverlaps(List<Attachment> attachments, List<String> problems) {
    List<Attachment> seen = new ArrayList<>();
    for (Attachment attachment : attachments) {
      for (Attachment earlier : seen) {
        if (earlier.segment != attachment.segment
            && earlier.network().overlaps(attachment.network())) {
          String problem =
              attachment.origin
                  + ": subnet "
                  + attachment.network()
                  + " overlaps "
                  + earlier.network()
                  + " of "
                  + earlier.origin;
          if (!problems.contains(problem)) {
            problems.add(problem);
          }
          break;
        }
      }
      if (seen.stream()
          .noneMatch(
              s -> s.segment == attachment.segment && s.network().equals(attachment.network()))) {
        seen.add(attachment);
      }
    }
  }
}
