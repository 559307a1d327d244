from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("mine/", views.my_company, name="mine"),
]
