from django.shortcuts import render


def forced_labor_index(request):
    if request.user.is_partner_user:
        context = {
            "title": "Forced labor",
            "intro": "Trade Compliance partners document how they keep forced labor out of "
            "their supply chain. Upload each required document here.",
            "empty": "Nothing is required of your company yet.",
        }
    else:
        context = {
            "title": "Forced-labor reviews",
            "intro": "Documentation submitted by Trade Compliance partners, waiting for review, "
            "oldest first.",
            "empty": "No submissions are waiting for review.",
        }
    return render(request, "ctpat/section.html", context)
